// Takes the screenshots in docs/screenshots/ from a built site, in Debian's chromium:
// the dashboard, a briefing and a contact at 1280 px and at 390 px (a phone), the
// dashboard in the dark scheme, and the briefing as printed on Letter paper (a PDF,
// turned into a picture by pdftoppm). Run them all with one command:
//
//   bash tests/browser/screenshots.sh
import path from 'node:path';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { launch } from './chromium.mjs';

const [site, outDir] = process.argv.slice(2);
if (!site || !outDir) {
  console.error('usage: node screenshots.mjs SITE_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const pages = {
  dashboard: 'index.html',
  briefing: 'interviews/2026-11-24-priya-raman.html',
  contact: 'contacts/priya-raman.html',
};
const shots = [
  { width: 1280, height: 900, scheme: 'light', suffix: '1280' },
  { width: 390, height: 844, scheme: 'light', suffix: '390' },
];
const browser = await launch();
try {
  for (const { width, height, scheme, suffix } of shots) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height } });
    const page = await context.newPage();
    for (const [name, rel] of Object.entries(pages)) {
      await page.goto('file://' + path.resolve(site, rel));
      const file = path.join(outDir, `${name}-${suffix}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
    await context.close();
  }
  const dark = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  const page = await dark.newPage();
  await page.goto('file://' + path.resolve(site, pages.dashboard));
  await page.screenshot({ path: path.join(outDir, 'dashboard-1280-dark.png') });
  // The printed briefing: the page's own @page size (Letter in the example vault).
  const print = await browser.newContext();
  const sheet = await print.newPage();
  await sheet.goto('file://' + path.resolve(site, pages.briefing));
  const pdf = path.join(outDir, 'briefing-print.pdf');
  await sheet.pdf({ path: pdf, preferCSSPageSize: true });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', pdf, path.join(outDir, 'briefing-print')]);
  fs.rmSync(pdf);
  console.log(path.join(outDir, 'briefing-print.png'));
} finally {
  await browser.close();
}
