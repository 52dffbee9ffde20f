import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/race-demo.cjs', import.meta.url));

export interface CliResult {
  /** The exit status as a shell sees it (`$?`): the code, or 128 + the signal that ended the process. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

// eslint-disable-next-line no-control-regex -- stripping terminal colour codes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripColor(text: string): string {
  return text.replace(ANSI, '');
}

export interface CliOptions {
  readonly env?: Record<string, string | undefined>;
  /** Keep colour codes instead of stripping them. */
  readonly raw?: boolean;
  /** Prefix the node command, for example ['taskset', '-c', '0']. */
  readonly wrapper?: readonly string[];
  /** The directory to run in (default: the tests' own). */
  readonly cwd?: string;
}

/** A child environment without the colour settings of whoever runs the tests. */
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.RACE_DEMO_FAULT;
  delete env.RACE_DEMO_DEBUG;
  // Reports fit the page; these tests read tables by their rows, so the page is wide unless a test says otherwise.
  env.COLUMNS = '120';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Resolves once stderr has shown a line containing `text`. */
  waitForStderr(text: string): Promise<void>;
}

/** Starts the built CLI as a real process, with stdin closed as in CI. */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath];
  const child = spawn(command, [...prefix, BIN, ...args], {
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  const stderrWatchers: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const watcher of stderrWatchers) if (stderr.includes(watcher.text)) watcher.resolve();
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      const clean = options.raw ? (text: string) => text : stripColor;
      resolve({ exitCode: shellStatus(exitCode, signal), signal, stdout: clean(stdout), stderr: clean(stderr) });
    });
  });
  return {
    child,
    done,
    waitForStderr: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        stderrWatchers.push({ text, resolve });
        done.then(() => reject(new Error(`CLI exited before printing "${text}"; stderr: ${stderr}`)), reject);
      }),
  };
}

/** What a shell's `$?` says of a process that ended with `code` or by `signal`: an interrupted race-demo ends by its signal. */
export function shellStatus(code: number | null, signal: NodeJS.Signals | null): number | null {
  return code ?? (signal ? 128 + constants.signals[signal] : null);
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Lines of text without the empty last one. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line, i, all) => !(i === all.length - 1 && line === ''));
}
