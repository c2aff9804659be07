// Runs axe-core on pages of a built site in Debian's chromium and prints one line per
// serious or critical violation. Exit code 1 when there is any.
//
//   node axe.mjs SITE_DIR PAGE [PAGE…]      (pages relative to SITE_DIR)
import { createRequire } from 'node:module';
import path from 'node:path';
import { launch, sitePages } from './chromium.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const { site, pages } = sitePages('node axe.mjs SITE_DIR PAGE [PAGE…]');
const browser = await launch();
let failures = 0;
try {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    for (const rel of pages) {
      await page.goto('file://' + path.resolve(site, rel));
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document));
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          failures += 1;
          const where = v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ');
          console.log(`${rel} (${colorScheme}): ${v.impact} ${v.id}: ${v.help} at ${where}`);
        }
      }
      console.log(`${rel} (${colorScheme}): checked, ${result.violations.length} violation(s) of any impact`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
