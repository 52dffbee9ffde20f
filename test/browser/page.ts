import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCli, type RunningCli } from '../helpers/cli.js';

/** Debian's Chromium (`apt-get install chromium`), or the one RACE_DEMO_CHROMIUM names. */
export const CHROMIUM = process.env.RACE_DEMO_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser tests are skipped: only off CI, when there is no Chromium (a new clone on a
 * laptop), and then said on stderr. On CI a missing Chromium fails them: .ci/run installs it.
 */
export const SKIP_BROWSER = !process.env.CI && !existsSync(CHROMIUM);
if (SKIP_BROWSER) process.stderr.write(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set RACE_DEMO_CHROMIUM)\n`);

export interface PageSession {
  readonly url: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and uncaught exceptions the page raised. */
  readonly errors: string[];
  /** Every URL path the page and its workers asked for. */
  readonly requested: Set<string>;
  close(): Promise<void>;
}

/** `race-demo serve --port 0` from the built CLI, and a headless Chromium page on what it serves. */
export async function openPage(): Promise<PageSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set RACE_DEMO_CHROMIUM`);
  const server: RunningCli = startCli(['serve', '--port', '0']);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    server.child.stdout!.on('data', (chunk: Buffer) => {
      seen += String(chunk);
      const match = /(http:\/\/\S+\/)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    void server.done.then((result) => reject(new Error(`serve ended before printing its address: ${result.stderr}`)));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  const requested = new Set<string>();
  page.context().on('request', (request) => requested.add(new URL(request.url()).pathname));
  await page.goto(url);
  return {
    url,
    browser,
    page,
    errors,
    requested,
    close: async () => {
      await browser.close();
      server.child.kill('SIGINT');
      await server.done;
    },
  };
}

/** Picks a scenario (a built-in's name, or an example's label: litmus/SB.litmus), its size and mode at the top of the page. */
export async function choose(page: Page, scenario: string, threads: number, iters: number, mode: string): Promise<void> {
  await page.selectOption('#scenario', { label: scenario });
  // An example loads when picked: its modes, threads and round arrive after.
  await page.waitForFunction(() => document.querySelector<HTMLElement>('.controls')!.dataset.loading === undefined);
  await page.fill('#threads', String(threads));
  await page.fill('#iters', String(iters));
  await page.selectOption('#mode', mode);
  await page.dispatchEvent('#mode', 'change');
}

/** Waits until the lanes show `steps` steps (a step is taken on real workers, so it shows a moment later). */
export async function lanesShow(page: Page, steps: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('table.lanes tbody tr').length === n, steps);
}
