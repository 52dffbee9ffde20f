import { fileURLToPath } from 'node:url';
import { PAGE_ROOT, servePage } from '../../serve/server.js';
import { ExitCode } from '../exit-codes.js';
import type { ServeCommandOptions } from '../program.js';
import type { CommandIo } from './io.js';

/** Only this machine may ask: the page runs code on its threads, and nobody else needs it. */
const HOST = '127.0.0.1';

/**
 * `race-demo serve`: the page on localhost, cross-origin isolated so that its Web Workers can share
 * memory. It prints the address and serves until Ctrl-C, then stops cleanly (exit 0).
 */
export async function serveCommand(options: ServeCommandOptions, io: CommandIo): Promise<number> {
  const server = await servePage(fileURLToPath(PAGE_ROOT), options.port, HOST);
  io.stdout.write(`race-demo serve: the page is at ${server.url} (Ctrl-C stops it)\n`);
  if (options.open) await openInBrowser(server.url, io);
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  io.stdout.write('race-demo serve: stopped\n');
  return ExitCode.ok;
}

/** Asks the desktop to open `url`; where it cannot, says so and goes on serving. */
async function openInBrowser(url: string, io: CommandIo): Promise<void> {
  const command = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  // Imported by its bare name: the CLI's bundle swaps `node:child_process` out for commander's sake.
  const { spawn } = await import('child_process');
  const opener = spawn(command[0]!, command.slice(1), { stdio: 'ignore', detached: true });
  opener.once('error', () => io.stderr.write(`race-demo serve: could not open a browser (${command[0]} failed): open ${url} yourself\n`));
  opener.unref();
}
