// Takes the screenshots in docs/screenshots/ from a built site, in Debian's chromium:
//
//   cargo run --release -- build example-vault --today 2026-11-23
//   (cd tests/browser && npm ci && node screenshots.mjs ../../example-vault/public ../../docs/screenshots)
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const [site, outDir] = process.argv.slice(2);
if (!site || !outDir) {
  console.error('usage: node screenshots.mjs SITE_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const pages = {
  dashboard: 'index.html',
  contact: 'contacts/priya-raman.html',
  briefing: 'interviews/2026-11-24-priya-raman.html',
  followups: 'followups.html',
};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  for (const [scheme, media] of [['light', 'screen'], ['dark', 'screen'], ['light', 'print']]) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1000, height: 1300 } });
    const page = await context.newPage();
    await page.emulateMedia({ media, colorScheme: scheme });
    for (const [name, rel] of Object.entries(pages)) {
      await page.goto('file://' + path.resolve(site, rel));
      const file = path.join(outDir, `${name}-${media === 'print' ? 'print' : scheme}.png`);
      await page.screenshot({ path: file, fullPage: media !== 'print' });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
