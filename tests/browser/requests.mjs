// Opens pages of a built site in Debian's chromium, lets them run for a moment, and
// prints one line per request that is not for a file on disk, and one per script
// dialog. Exit code 1 when there is any: a page of the site must load nothing from the
// network and run no script from a note.
//
//   node requests.mjs SITE_DIR PAGE [PAGE…]      (pages relative to SITE_DIR)
import path from 'node:path';
import { launch, sitePages } from './chromium.mjs';

const { site, pages } = sitePages('node requests.mjs SITE_DIR PAGE [PAGE…]');
const browser = await launch();
let failures = 0;
try {
  const context = await browser.newContext();
  // Nothing leaves the machine: every request that is not for a file is logged and
  // refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) {
      return route.continue();
    }
    failures += 1;
    console.log(`request: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('dialog', async (dialog) => {
    failures += 1;
    console.log(`script dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  for (const rel of pages) {
    await page.goto('file://' + path.resolve(site, rel));
    await page.waitForTimeout(500);
    console.log(`${rel}: opened`);
  }
  await context.close();
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
