import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { choose as chooseOn, CHROMIUM, lanesShow, openPage, SKIP_BROWSER, type PageSession } from './page.js';

// The page in a real browser (headless Chromium), served by the real built CLI: the same scenarios on
// real Web Workers sharing one SharedArrayBuffer.

let session: PageSession;
beforeAll(async () => {
  if (!SKIP_BROWSER) session = await openPage();
}, 60_000);
afterAll(async () => session?.close());

/** The lanes on the page, as the fields `replay --json` gives each step. */
async function lanes(): Promise<{ step: number; thread: number; action: string; value: number | null; shared: string }[]> {
  return session.page.$$eval('table.lanes tbody tr', (rows) =>
    rows.map((row) => {
      const data = (row as HTMLElement).dataset;
      return { step: Number(data.step), thread: Number(data.thread), action: data.action!, value: data.value === 'null' ? null : Number(data.value), shared: data.shared! };
    }),
  );
}

const choose = (scenario: string, threads: number, iters: number, mode: string) => chooseOn(session.page, scenario, threads, iters, mode);

/**
 * Replays `schedule` on the page, a step at a time, and holds its lanes and outcome to `race-demo
 * replay --json` with `args` and the same schedule; the number of steps.
 */
async function replayAsTheCli(args: readonly string[], schedule: string): Promise<number> {
  const { page } = session;
  await page.click('#tab-replay');
  await page.fill('#schedule', schedule);
  await page.click('#replay-load');
  await page.waitForSelector('#replay-status');
  const cli = await runCli(['replay', ...args, '--schedule', schedule, '--json']);
  const report = JSON.parse(cli.stdout) as { steps: { step: number; thread: number; action: string; value: number | null; shared: string }[]; summary: string[] };
  for (let taken = 0; taken < report.steps.length; taken++) {
    await page.click('#replay-step');
    await lanesShow(page, taken + 1);
  }
  await page.waitForSelector('#replay-outcome');
  expect(await lanes()).toEqual(report.steps.map(({ step, thread, action, value, shared }) => ({ step, thread, action, value, shared })));
  expect(await page.textContent('#replay-outcome')).toBe(report.summary.join(''));
  return report.steps.length;
}

describe.skipIf(SKIP_BROWSER)('the page, in headless Chromium', () => {
  it('loads cross-origin isolated, so its workers can share memory', async () => {
    expect(await session.page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await session.page.textContent('#isolated')).toContain('cross-origin isolated');
  });

  it('run: the race loses updates (widened where the plain race did not show), and every fix is exact', async () => {
    const { page } = session;
    await page.click('#tab-run');
    await page.selectOption('#scenario', 'counter');
    await page.fill('#run-iters', '200000');
    await page.click('#run');
    await page.waitForSelector('table.results', { timeout: 120_000 });
    const rows = await page.$$eval('table.results tbody tr', (all) => all.map((row) => ({ ...(row as HTMLElement).dataset })));
    const [unsafe, ...fixes] = rows;
    expect(unsafe).toMatchObject({ mode: 'unsafe', ok: 'false' });
    expect(Number(unsafe!.actual)).toBeLessThan(Number(unsafe!.expected));
    expect(fixes.map((row) => row.mode)).toEqual(['atomic', 'lock', 'spin', 'cas']);
    for (const fix of fixes) expect([fix.ok, fix.actual]).toEqual(['true', fix.expected]);
  }, 180_000);

  it.each([
    ['counter', 2, 1, 'unsafe', '1,2,1,2'],
    ['counter', 3, 1, 'lock', '1,2,3,1,2,3,1,2,3,1,2,3,2,2,2,3,3,3,3'],
    ['withdraw', 2, 1, 'unsafe', '1,2,1,2'],
    ['deadlock', 2, 1, 'unsafe', '1,2'],
  ])('replay of %s %i × %i %s with --schedule %s shows the same trace as race-demo replay --json', async (scenario, threads, iters, mode, schedule) => {
    await choose(scenario, threads, iters, mode);
    await replayAsTheCli(['--scenario', scenario, '-t', String(threads), '-n', String(iters), '-m', mode], schedule);
  });

  it('replay reads the schedule box as the CLI reads --schedule, and says what is wrong with one that is not', async () => {
    const { page } = session;
    await page.click('#tab-replay');
    await choose('counter', 2, 1, 'unsafe');
    await page.fill('#schedule', ' 1, 2 ,1,2 ');
    await page.click('#replay-load');
    await page.waitForSelector('#replay-status');
    expect(await page.textContent('#replay-status')).toBe("Step 1 of 4 is thread 1's.");
    await page.fill('#schedule', '1,0');
    await page.click('#replay-load');
    await page.waitForSelector('#replay-view .error');
    expect(await page.textContent('#replay-view .error')).toBe("schedule '1,0' is invalid: expected thread numbers from 1 to 256, separated by commas, each followed by xN to take N steps in a row, for example 1,2,1x3,2");
  });

  it('replay goes back a step on fresh workers, and takes it again the same', async () => {
    const { page } = session;
    await page.click('#tab-replay');
    await choose('counter', 2, 1, 'unsafe');
    await page.fill('#schedule', '1,2,1,2');
    await page.click('#replay-load');
    for (const count of [1, 2, 3]) {
      await page.click('#replay-step');
      await lanesShow(page, count);
    }
    const before = await lanes();
    await page.click('#replay-back');
    await lanesShow(page, 2);
    await page.click('#replay-step');
    await lanesShow(page, 3);
    expect(await lanes()).toEqual(before);
  });

  it('explore: the exact counts of race-demo explore, and a schedule that opens in replay', async () => {
    const { page } = session;
    await page.click('#tab-explore');
    await choose('counter', 2, 2, 'unsafe');
    await page.click('#explore');
    await page.waitForSelector('#explore-total', { timeout: 60_000 });
    const cli = JSON.parse((await runCli(['explore', '-t', '2', '-n', '2', '--json'])).stdout) as { outcomes: { final: number; count: string }[] };
    const rows = await page.$$eval('table.histogram tbody tr', (all) => all.map((row) => ({ final: Number((row as HTMLElement).dataset.final), count: (row as HTMLElement).dataset.count! })));
    expect(rows).toEqual(cli.outcomes.map(({ final, count }) => ({ final, count })));
    await page.click('table.histogram tbody tr:first-child button.link');
    await page.waitForSelector('#replay-status');
    expect(await page.inputValue('#schedule')).toMatch(/^[12](,[12])+$/);
  });

  it('play: you pick the threads, on real workers, and reach the goal', async () => {
    const { page } = session;
    await page.click('#tab-play');
    await choose('counter', 2, 1, 'unsafe');
    await page.click('#play-new');
    for (const [i, thread] of [1, 2, 1, 2].entries()) {
      await page.click(`button.thread[data-thread="${thread}"]`);
      await lanesShow(page, i + 1);
    }
    await page.waitForSelector('#play-end');
    expect(await page.textContent('#play-end')).toContain('You reached the goal.');
    expect(await page.textContent('#play-end')).toContain('race-demo replay --scenario counter --mode unsafe --threads 2 --iters 1 --schedule 1,2,1,2');
  });

  it('offers every file of docs/examples, as the CLI takes them', async () => {
    const offered = await session.page.$$eval('#scenario optgroup option', (all) => all.map((option) => option.textContent));
    const shipped = readdirSync(new URL('../../docs/examples/', import.meta.url), { recursive: true, encoding: 'utf8' })
      .map((file) => file.split(sep).join('/'))
      .filter((file) => /\.(m?js|litmus)$/.test(file));
    expect([...offered].sort()).toEqual(shipped.sort());
  });

  it('explore of a test written as code (the counter): the count of each end, as race-demo explore counts it', async () => {
    const { page } = session;
    await page.click('#tab-explore');
    await choose('counter.mjs', 2, 2, 'unsafe');
    expect(await page.inputValue('#threads')).toBe('2');
    await page.selectOption('#memory-model', 'sc');
    await page.click('#explore');
    await page.waitForSelector('table.ends', { timeout: 60_000 });
    const cli = JSON.parse((await runCli(['explore', '--scenario', 'docs/examples/counter.mjs', '-t', '2', '-n', '2', '-m', 'unsafe', '--memory-model', 'sc', '--json'])).stdout) as { outcomes: { values: Record<string, number>; count: string }[] };
    const rows = await page.$$eval('table.ends tbody tr', (all) => all.map((row) => ({ values: (row as HTMLElement).dataset.values!, count: (row as HTMLElement).dataset.sc! })));
    const expected = cli.outcomes.map((o) => ({ values: Object.entries(o.values).map(([name, value]) => `${name}=${value}`).join(' '), count: o.count }));
    expect(rows.length).toBeGreaterThan(1);
    expect(new Set(rows.map((row) => JSON.stringify(row)))).toEqual(new Set(expected.map((row) => JSON.stringify(row))));
  });

  it('explore of litmus/SB.litmus under both models: forbidden under sc, allowed under tso, the counts of race-demo explore', async () => {
    const { page } = session;
    await page.click('#tab-explore');
    await choose('litmus/SB.litmus', 2, 1, 'test');
    await page.selectOption('#memory-model', 'both');
    await page.click('#explore');
    await page.waitForSelector('table.ends', { timeout: 60_000 });
    const verdicts: Record<string, string> = Object.fromEntries(await page.$$eval('p[data-verdict]', (all) => all.map((p) => [(p as HTMLElement).dataset.model!, (p as HTMLElement).dataset.verdict!] as const)));
    const cli = JSON.parse((await runCli(['explore', '--scenario', 'docs/examples/litmus/SB.litmus', '--memory-model', 'both', '--json'])).stdout) as { verdicts: Record<string, string>; outcomes: { count: string }[]; storeBuffers: { interleavings: string; outcomes: { count: string }[] } };
    expect(verdicts).toEqual(cli.verdicts);
    expect(verdicts).toEqual({ sc: 'forbidden', tso: 'allowed' });
    const counts = await page.$$eval('table.ends tbody tr', (all) => all.map((row) => [(row as HTMLElement).dataset.sc, (row as HTMLElement).dataset.tso]));
    expect(counts.map(([, tso]) => BigInt(tso!)).reduce((a, b) => a + b, 0n)).toBe(BigInt(cli.storeBuffers.interleavings));
    expect(counts.map(([sc]) => sc).filter((sc) => sc !== '0').sort()).toEqual(cli.outcomes.map((o) => o.count).sort());
  });

  it('replay of store-buffering.mjs takes each shared access on its real worker, as race-demo replay --json does', async () => {
    await choose('store-buffering.mjs', 2, 1, 'unsafe');
    const steps = await replayAsTheCli(['--scenario', 'docs/examples/store-buffering.mjs', '-m', 'unsafe'], '1,2,2,1');
    expect(steps).toBe(4);
  });

  it('run of litmus/SB.litmus on real workers: a table of the ends they left, none of which both models forbid', async () => {
    const { page } = session;
    await page.click('#tab-run');
    await choose('litmus/SB.litmus', 2, 1, 'test');
    await page.fill('#run-iters', '20000');
    await page.click('#run');
    await page.waitForSelector('table.results', { timeout: 120_000 });
    const rows = await page.$$eval('table.scenario-table tbody tr', (all) => all.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.length).toBeGreaterThan(0);
    const heading = await page.$$eval('table.scenario-table thead th', (all) => all.map((th) => th.textContent));
    expect(heading.slice(-2)).toEqual(['sc', 'tso']);
    // The hardware never does what x86-TSO forbids: an end no model allows is a bug, whatever the test expects.
    for (const row of rows) expect(row.slice(-2)).not.toEqual(['never', 'never']);
    const rounds = rows.reduce((sum, row) => sum + Number(row[1]!.replace(/,/g, '')), 0);
    expect(rounds).toBe(20_000);
  }, 180_000);

  it('play of store-buffering.mjs says no order of whole steps reaches its goal, before the first move', async () => {
    const { page } = session;
    await page.click('#tab-play');
    await choose('store-buffering.mjs', 2, 1, 'unsafe');
    await page.click('#play-new');
    await page.waitForSelector('#play-unreachable');
    expect(await page.textContent('#play-unreachable')).toContain('No order of whole steps gets there (sc forbids it');
    expect(await page.textContent('p.goal')).toBe('Goal: reach an end the test forbids or finds interesting.');
  });

  it('raised no console error and no uncaught exception', () => {
    expect(session.errors).toEqual([]);
  });

  it('loaded no module that imports from node: (the scenarios and engines run as they are)', () => {
    const scripts = [...session.requested].filter((path) => path.endsWith('.js'));
    expect(scripts).toEqual(expect.arrayContaining(['/app/app.js', '/app/thread-worker.js', '/app/model-worker.js']));
    for (const path of scripts) expect([path, readFileSync(new URL(`../../dist/page${path}`, import.meta.url), 'utf8')]).not.toEqual([path, expect.stringMatching(/["']node:/)]);
  });
});

describe.skipIf(SKIP_BROWSER)('the page, served without isolation', () => {
  it('says why its threads cannot share memory, and how to fix it, instead of failing', async () => {
    // The same files from a plain server: no Cross-Origin-Opener-Policy, no Cross-Origin-Embedder-Policy.
    const root = new URL('../../dist/page/', import.meta.url);
    const plain = createServer((request, response) => {
      const path = request.url === '/' ? 'index.html' : request.url!.slice(1);
      try {
        const body = readFileSync(new URL(path, root));
        response.writeHead(200, { 'Content-Type': path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'text/html' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as { port: number }).port;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('#not-isolated');
      expect(await page.textContent('#not-isolated')).toContain('race-demo serve');
    } finally {
      await browser.close();
      plain.close();
    }
  });
});
