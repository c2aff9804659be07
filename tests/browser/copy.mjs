// Opens pages of a built site from file:// in Debian's chromium and presses each draft's
// copy button, once as the page is and once with the clipboard API taken away (as some
// browsers leave it on file://), then pastes into a fresh text box: the text pasted must
// be the draft's. Prints one line per button; exit code 1 when any did not copy.
//
//   node copy.mjs SITE_DIR PAGE [PAGE…]      (pages relative to SITE_DIR)
import path from 'node:path';
import { launch, sitePages } from './chromium.mjs';

const { site, pages } = sitePages('node copy.mjs SITE_DIR PAGE [PAGE…]');
const browser = await launch();
let failures = 0;
try {
  for (const withoutApi of [false, true]) {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    if (withoutApi) {
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
      });
    }
    const page = await context.newPage();
    for (const rel of pages) {
      await page.goto('file://' + path.resolve(site, rel));
      const buttons = await page.locator('button[data-copy]').all();
      for (const button of buttons) {
        const id = await button.getAttribute('data-copy');
        const expected = await page.locator('#' + id).inputValue();
        const before = await button.textContent();
        await button.click();
        // The clipboard API answers later: wait (up to 5 s) for the button to say so.
        await button.evaluate((b, was) => new Promise((resolve) => {
          if (b.textContent !== was) return resolve();
          new MutationObserver((_, o) => { o.disconnect(); resolve(); })
            .observe(b, { childList: true, characterData: true, subtree: true });
          setTimeout(resolve, 5000);
        }), before);
        const said = await button.textContent();
        // Paste into a text box of our own, as the user would in their mail program.
        await page.evaluate(() => {
          const box = document.createElement('textarea');
          box.id = 'paste-here';
          document.body.append(box);
        });
        await page.locator('#paste-here').focus();
        await page.keyboard.press('Control+V');
        const pasted = await page.locator('#paste-here').inputValue();
        await page.evaluate(() => document.getElementById('paste-here').remove());
        const how = withoutApi ? 'without the clipboard API' : 'with the clipboard API';
        const ok = said === 'Copied' && pasted === expected && expected.length > 0;
        failures += ok ? 0 : 1;
        console.log(`${rel} ${id} ${how}: ${ok ? 'copied' : `FAILED (button says "${said}", pasted ${JSON.stringify(pasted)})`}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
