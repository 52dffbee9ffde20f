// The page in headless Chromium, served by the built `race-demo serve`: from navigation until the page
// says it is cross-origin isolated and ready, and how many bytes it took. The baseline, in the same
// runs: a bare file from the same server (style.css), which no script follows.
//   npm run bench:page       (needs Debian's chromium, or RACE_DEMO_CHROMIUM)
import { parseArgs } from 'node:util';
import { openPage } from '../test/browser/page.js';
import { minMedianMax, median } from './lib.js';

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(flags.runs);

const session = await openPage();
const { page, url } = session;
try {
  const bytes = new Map<string, number>();
  page.on('response', (response) => {
    void response.body().then((body) => bytes.set(new URL(response.url()).pathname, body.byteLength), () => undefined);
  });
  const ready: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // The server sends Cache-Control: no-cache and no validator, so every load fetches every file again.
    let started = performance.now();
    await page.goto(`${url}style.css`);
    bare.push(performance.now() - started);
    started = performance.now();
    await page.goto(url);
    await page.waitForSelector('#isolated');
    await page.waitForSelector('#play-view, #run-view');
    ready.push(performance.now() - started);
  }
  await page.waitForTimeout(200);
  const loaded = [...bytes];
  const total = loaded.reduce((sum, [, size]) => sum + size, 0);
  console.log(`page load in headless Chromium from ${url}, ms, median (min–max) of ${RUNS} loads\n`);
  console.log('| what | ms | ratio of medians |\n|---|---|---|');
  console.log(`| the page, until isolated and ready | ${minMedianMax(ready, 0)} | ${(median(ready) / median(bare)).toFixed(1)} |`);
  console.log(`| baseline: style.css alone | ${minMedianMax(bare, 0)} | 1 |`);
  console.log(`\nbytes the page and its workers fetched (uncompressed; the server sends no compression): ${total.toLocaleString('en-US')} in ${loaded.length} files`);
  for (const [path, size] of loaded.sort((a, b) => b[1] - a[1])) console.log(`  ${path}  ${size.toLocaleString('en-US')}`);
} finally {
  await session.close();
}
