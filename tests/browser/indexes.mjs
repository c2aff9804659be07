// Opens a built site's contacts and chats indexes from disk in Debian's chromium and
// prints, as one JSON object, the rows' order for each way the page sorts and filters:
// `{"contacts": {"name:asc": [{name, last, next}], …, "stage=met": […]}, "chats": {…}}`.
// Any request that is not for a file fails the run: the pages sort by an inline script.
//
//   node indexes.mjs SITE_DIR
import path from 'node:path';
import { launch } from './chromium.mjs';

const site = process.argv[2];
if (!site) {
  console.error('usage: node indexes.mjs SITE_DIR');
  process.exit(2);
}
const browser = await launch();
const result = {};
let requests = 0;
try {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith('file://')) return route.continue();
    requests += 1;
    return route.abort();
  });
  const page = await context.newPage();
  const rows = () => page.$$eval('tbody tr:not([hidden])', (trs) => trs.map((tr) => ({
    name: tr.querySelector('a.name').textContent,
    last: tr.dataset.last, next: tr.dataset.next, date: tr.dataset.date, status: tr.dataset.status,
  })));
  for (const [index, filters] of [['contacts', ['stage', 'tags']], ['interviews', ['status']]]) {
    await page.goto('file://' + path.resolve(site, `${index}.html`));
    const seen = { shown: await page.isVisible('.controls') };
    for (const option of await page.$$eval('select[data-sort] option', (os) => os.map((o) => o.value))) {
      await page.selectOption('select[data-sort]', option);
      seen[option] = await rows();
    }
    await page.selectOption('select[data-sort]', { index: 0 });
    for (const filter of filters) {
      const select = `select[data-filter="${filter}"]`;
      for (const value of await page.$$eval(`${select} option`, (os) => os.map((o) => o.value))) {
        if (!value) continue;
        await page.selectOption(select, value);
        seen[`${filter}=${value}`] = await rows();
      }
      await page.selectOption(select, '');
    }
    result[index] = seen;
  }
  await context.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(requests > 0 ? 1 : 0);
