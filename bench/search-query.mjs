// How long the search box takes in chromium, on a built site opened from disk: the
// index's load (every shard read and inflated), then for each query the search alone
// (coffeechatSearch.query) and the whole keystroke (the input event, search and
// results drawn), each timed with performance.now() over RUNS runs. Prints medians and
// maxima in ms. Needs `npm ci --prefix tests/browser` (playwright-core) and chromium.
//
//   node bench/search-query.mjs SITE_DIR [QUERY…]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from '../tests/browser/chromium.mjs';

const [site, ...given] = process.argv.slice(2);
if (!site) {
  console.error('usage: node bench/search-query.mjs SITE_DIR [QUERY…]');
  process.exit(2);
}
// A name's start, a word in most notes' text, two words, a word no note has (every
// field of every note read to the end), an email typed whole.
const queries = given.length ? given : ['ada', 'roadmap', 'pricing team', 'zzzzqx', 'ada@example.com'];
const RUNS = Number(process.env.RUNS || 20);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.resolve(site, 'index.html')).href);
  const load = await page.evaluate(async () => {
    const t = performance.now();
    await window.coffeechatSearch.load();
    return performance.now() - t;
  });
  console.log(`index load: ${load.toFixed(0)} ms`);
  for (const q of queries) {
    const r = await page.evaluate(({ q, runs }) => {
      const box = document.querySelector('form.search input');
      const stats = (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
      };
      const search = [];
      const keystroke = [];
      let hits = 0;
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        hits = window.coffeechatSearch.query(q).length;
        search.push(performance.now() - t);
        box.value = '';
        t = performance.now();
        box.value = q;
        box.dispatchEvent(new Event('input'));
        keystroke.push(performance.now() - t);
      }
      return { hits, search: stats(search), keystroke: stats(keystroke) };
    }, { q, runs: RUNS });
    const f = (s) => `median ${s.median.toFixed(1)}, max ${s.max.toFixed(1)}`;
    console.log(`"${q}": ${r.hits} hits; search ${f(r.search)}; keystroke ${f(r.keystroke)} ms`);
  }
} finally {
  await browser.close();
}
