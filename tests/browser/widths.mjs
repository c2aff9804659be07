// Opens every page of a built site in Debian's chromium at a phone's width and prints
// one line per page that scrolls sideways (the document wider than the window), and one
// per tap target (link, button, summary) smaller than 44 px where it is not in a line of
// text. Exit code 1 when there is any.
//
//   node widths.mjs SITE_DIR PAGE [PAGE…]      (pages relative to SITE_DIR)
//   WIDTH=390 by default.
import path from 'node:path';
import { launch, sitePages } from './chromium.mjs';

const { site, pages } = sitePages('node widths.mjs SITE_DIR PAGE [PAGE…]');
const width = Number(process.env.WIDTH || 390);
const browser = await launch();
let failures = 0;
try {
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  const page = await context.newPage();
  for (const rel of pages) {
    await page.goto('file://' + path.resolve(site, rel));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > width) {
      failures += 1;
      const culprits = await page.evaluate((w) => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > w + 0.5)
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} "${e.textContent.trim().slice(0, 30)}"`), width);
      console.log(`${rel}: ${wide} px wide at ${width} px: ${culprits.join('; ')}`);
    }
    const small = await page.evaluate(() => [...document.querySelectorAll('.site-nav a, button, summary, a.button')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height < 44; })
      .map((e) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 20)}" ${Math.round(e.getBoundingClientRect().height)} px`));
    for (const s of small) {
      failures += 1;
      console.log(`${rel}: tap target ${s} tall`);
    }
    console.log(`${rel}: checked`);
  }
  await context.close();
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
