// Types into the search box of a built site opened from disk, as a person would: `/`
// to reach the box, then each query; prints the first result of each, then presses
// Enter on the last and prints the page it opened. Exit code 1 when a first result is
// not the page expected, Enter opens another, or anything is requested from outside
// the disk.
//
//   node search.mjs SITE_DIR PAGE QUERY EXPECTED [QUERY EXPECTED…]
//   (PAGE and EXPECTED relative to SITE_DIR)
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, sitePages } from './chromium.mjs';

const usage = 'node search.mjs SITE_DIR PAGE QUERY EXPECTED [QUERY EXPECTED…]';
const { site, pages } = sitePages(usage);
const [start, ...pairs] = pages;
if (pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error(`usage: ${usage}`);
  process.exit(2);
}
const url = (rel) => pathToFileURL(path.resolve(site, rel)).href;
const browser = await launch();
let failures = 0;
try {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.startsWith('file://')) return route.continue();
    failures += 1;
    console.log(`request: ${requested}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => { failures += 1; console.log(`script error: ${e.message}`); });
  await page.goto(url(start));
  await page.keyboard.press('/');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('type'));
  if (focused !== 'search') { failures += 1; console.log(`"/" focused ${focused}, not the box`); }
  for (let i = 0; i < pairs.length; i += 2) {
    const [query, expected] = [pairs[i], pairs[i + 1]];
    await page.fill('form.search input', '');
    await page.keyboard.type(query);
    const first = page.locator('.search-results a').first();
    await first.waitFor({ timeout: 10000 });
    const href = await first.getAttribute('href');
    const group = await page.locator('.search-results h2').first().textContent();
    const marked = await first.locator('mark').first().textContent().catch(() => '');
    const ok = href === url(expected) || href.endsWith('/' + expected) || href === expected;
    if (!ok) failures += 1;
    console.log(`${query}: first ${href} in ${group}, marked "${marked}"${ok ? '' : ` (expected ${expected})`}`);
  }
  const expected = pairs[pairs.length - 1];
  await Promise.all([page.waitForURL(url(expected)), page.keyboard.press('Enter')]);
  console.log(`enter: opened ${path.relative(site, new URL(page.url()).pathname)}`);
  await context.close();
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
