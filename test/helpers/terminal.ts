import { execFileSync, spawn } from 'node:child_process';
import { BIN, shellStatus, stripColor, type CliResult } from './cli.js';

/** A shell word, quoted for sh. */
const quoted = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface Terminal {
  /** Resolves once the output since the last key shows `text` (colour codes left out). */
  waitFor(text: string): Promise<void>;
  /** Types one key, as a person at the terminal would. */
  press(key: string): void;
  /** Everything shown so far, colour codes left out. */
  output(): string;
  /** Sends `signal` to the CLI itself (not to `script` or the shell around it); resolves when it was sent, with the time. */
  signal(signal: NodeJS.Signals): number;
  /**
   * Once the terminal has closed: the CLI's own exit code, and whether the terminal was left in its
   * usual mode (canonical, echoing), as `stty` read it after the CLI exited. With `afterwards` only.
   */
  afterwards(): Promise<{ readonly exitCode: number; readonly restored: boolean; readonly exitedAt: number }>;
  readonly done: Promise<CliResult>;
}

/** The process under `pid` (itself included) whose command line runs the built CLI. */
function cliProcess(pid: number): number | null {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = table.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }] : [];
  });
  const under = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (under.has(row.ppid) && !under.has(row.pid)) {
        under.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.find((row) => under.has(row.pid) && row.args.startsWith(process.execPath) && row.args.includes(BIN))?.pid ?? null;
}

/**
 * The built CLI in a real pseudo-terminal of `cols` × `rows`, through util-linux's `script`: stdin and
 * stdout are a terminal to it, so raw keys, the terminal's width and screen redraws are the real ones.
 */
export function startInTerminal(args: readonly string[], { cols = 80, rows = 50, afterwards = false } = {}): Terminal {
  const cli = [process.execPath, BIN, ...args].map(quoted).join(' ');
  // With `afterwards`, the shell outlives the CLI to say how it exited and what mode it left the terminal in.
  const command = afterwards
    ? `stty cols ${cols} rows ${rows}; ${cli}; code=$?; printf '\\n[exit %s at %s] [%s]\\n' "$code" "$(date +%s%3N)" "$(stty -a | tr -s ' ;' '\\n\\n' | grep -x -E -- '-?(icanon|echo)' | tr '\\n' ' ')"`
    : `stty cols ${cols} rows ${rows}; exec ${cli}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'RACE_DEMO_FAULT', 'RACE_DEMO_DEBUG', 'COLUMNS']) delete env[name];
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let from = 0;
  const watchers: { text: string; resolve: () => void }[] = [];
  const check = () => {
    const fresh = stripColor(text.slice(from));
    for (const watcher of [...watchers]) {
      if (fresh.includes(watcher.text)) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    check();
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode: shellStatus(exitCode, signal), signal, stdout: stripColor(text).replace(/\r\n/g, '\n'), stderr }));
  });
  return {
    waitFor: (wanted) =>
      new Promise<void>((resolve, reject) => {
        watchers.push({ text: wanted, resolve });
        check();
        void done.then(() => reject(new Error(`the terminal closed before showing "${wanted}"; it showed:\n${stripColor(text.slice(from))}`)));
      }),
    press: (key) => {
      from = text.length;
      child.stdin.write(key);
    },
    output: () => stripColor(text).replace(/\r\n/g, '\n'),
    signal: (signal) => {
      const pid = cliProcess(child.pid!);
      if (pid === null) throw new Error(`no race-demo process under the terminal to send ${signal} to`);
      const sentAt = Date.now();
      process.kill(pid, signal);
      return sentAt;
    },
    afterwards: async () => {
      const { stdout } = await done;
      const match = /\[exit (\d+) at (\d+)\] \[([^\]]*)\]/.exec(stdout);
      if (!match) throw new Error(`the terminal did not say how the CLI exited; it showed:\n${stdout}`);
      const modes = match[3]!.trim().split(/\s+/);
      return { exitCode: Number(match[1]), exitedAt: Number(match[2]), restored: modes.includes('icanon') && modes.includes('echo') };
    },
    done,
  };
}
