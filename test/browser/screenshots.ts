import { fileURLToPath } from 'node:url';
import { choose as chooseOn, lanesShow, openPage } from './page.js';

// `npm run screenshots`: each view of the page, as a class sees it, into docs/images/ (1200 px wide).
// The same page and browser as the browser tests; run it after changing the page, and look at them.

const OUT = fileURLToPath(new URL('../../docs/images/', import.meta.url));

const session = await openPage();
const { page } = session;
try {
  const shoot = async (name: string) => {
    await page.screenshot({ path: `${OUT}page-${name}.png`, fullPage: true });
    console.log(`docs/images/page-${name}.png`);
  };
  const choose = (scenario: string, threads: number, iters: number, mode: string) => chooseOn(page, scenario, threads, iters, mode);

  await choose('counter', 4, 1, 'unsafe');
  await page.click('#tab-run');
  await page.fill('#run-iters', '100000');
  await page.click('#run');
  await page.waitForSelector('table.results', { timeout: 120_000 });
  await shoot('run');

  await choose('counter', 2, 1, 'unsafe');
  await page.click('#tab-replay');
  await page.fill('#schedule', '1,2,1,2');
  await page.click('#replay-load');
  for (let taken = 1; taken <= 4; taken++) {
    await page.click('#replay-step');
    await lanesShow(page, taken);
  }
  await page.waitForSelector('#replay-outcome');
  await shoot('replay');

  await choose('counter', 2, 2, 'unsafe');
  await page.click('#tab-explore');
  await page.click('#explore');
  await page.waitForSelector('#explore-total', { timeout: 60_000 });
  await shoot('explore');

  await choose('withdraw', 2, 1, 'unsafe');
  await page.click('#tab-play');
  await page.click('#play-new');
  for (const [i, thread] of [1, 2].entries()) {
    await page.click(`button.thread[data-thread="${thread}"]`);
    await lanesShow(page, i + 1);
  }
  await shoot('play');
  if (session.errors.length > 0) throw new Error(`the page raised: ${session.errors.join('; ')}`);
} finally {
  await session.close();
}
