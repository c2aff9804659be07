// Opens a site's Network page in chromium from file:// and checks its graph: no two
// labels overlap as chromium draws them at full size, as without the page's script
// (their bounding boxes, in the SVG's units; zoomed far out, chromium draws text no
// smaller than its least font size, so labels grow), and nothing but files is
// requested, nor does the script fail. Prints how long the page took to draw with its
// script (navigation to the second frame after load), which BENCHMARKS.md records:
// with RUNS=N, N times in one browser, and their median. Another page is only timed.
//
//   node network.mjs SITE_DIR network.html
//   RUNS=9 node network.mjs SITE_DIR contacts.html
import path from 'node:path';
import { launch, sitePages } from './chromium.mjs';

const { site, pages } = sitePages('node network.mjs SITE_DIR network.html');
const runs = Number(process.env.RUNS || 1);
const url = 'file://' + path.resolve(site, pages[0]);
const browser = await launch();
let failed = false;

/** Opens the page; `full` draws the graph at full size, as without the script. */
async function open(full) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) { console.log(`requested ${r.url()}`); failed = true; }
  });
  page.on('pageerror', (e) => { console.log(`script error: ${e.message}`); failed = true; });
  await page.goto(url, { waitUntil: 'load' });
  const result = await page.evaluate((full) => new Promise((done) => {
    const svg = document.querySelector('svg.network');
    if (full && svg) {
      const w = +svg.getAttribute('width');
      document.getElementById('network-frame').classList.remove('zoomable');
      svg.setAttribute('viewBox', `${-w / 2} ${-w / 2} ${w} ${w}`);
    }
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const drawn = performance.now();
      const boxes = [...document.querySelectorAll('svg.network text')].map((t) => {
        const b = t.getBBox();
        return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent];
      });
      boxes.sort((a, b) => a[0] - b[0]);
      const overlaps = [];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length && boxes[j][0] < boxes[i][2]; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          if (a[1] < b[3] && b[1] < a[3]) overlaps.push(`${a[4]} / ${b[4]}`);
        }
      }
      done({ drawn, labels: boxes.length, overlaps });
    }));
  }), full);
  await page.close();
  return result;
}

try {
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await open(false)).drawn);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${pages[0]}: drawn in ${times.map((t) => t.toFixed(0)).join(', ')} ms with its script; median ${median.toFixed(0)} ms`);
  if (pages[0].endsWith('network.html')) {
    const { labels, overlaps } = await open(true);
    console.log(`${pages[0]}: ${overlaps.length} of ${labels} labels overlapping`);
    for (const o of overlaps.slice(0, 20)) console.log(`  overlap: ${o}`);
    if (overlaps.length > 0 || labels === 0) failed = true;
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
