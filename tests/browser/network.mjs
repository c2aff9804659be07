// Opens a site's Network page in chromium from file:// and checks its graph: no two
// labels overlap as chromium draws them at full size, as without the page's script
// (their bounding boxes, in the SVG's units; zoomed far out, chromium draws text no
// smaller than its least font size, so labels grow), and nothing but files is
// requested, nor does the script fail. Prints how long the page took to draw with its script (navigation
// to the second frame after load), which BENCHMARKS.md records.
//
//   node network.mjs SITE_DIR network.html
import path from 'node:path';
import { launch, sitePages } from './chromium.mjs';

const { site, pages } = sitePages('node network.mjs SITE_DIR network.html');
const browser = await launch();
let failed = false;
try {
  const url = 'file://' + path.resolve(site, pages[0]);
  for (const zoomed of [true, false]) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) { console.log(`requested ${r.url()}`); failed = true; }
  });
  page.on('pageerror', (e) => { console.log(`script error: ${e.message}`); failed = true; });
  await page.goto(url, { waitUntil: 'load' });
  const result = await page.evaluate((zoomed) => new Promise((done) => {
    if (!zoomed) {
      // The graph as it is drawn without the script: at full size.
      const svg = document.querySelector('svg.network'), w = +svg.getAttribute('width');
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
  }), zoomed);
  if (zoomed) {
    console.log(`${pages[0]}: drawn in ${result.drawn.toFixed(0)} ms with its script, ${result.labels} labels`);
  } else {
    console.log(`${pages[0]}: ${result.overlaps.length} of ${result.labels} labels overlapping`);
    for (const o of result.overlaps.slice(0, 20)) console.log(`  overlap: ${o}`);
    if (result.overlaps.length > 0 || result.labels === 0) failed = true;
  }
  await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
