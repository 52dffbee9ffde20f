import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

// Helpers the benchmark scripts share: what machine this is, a way to load it, and where results go.

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} CPUs (${cpu}), Node ${process.version}, ${process.platform} ${process.arch}`;
}

/** Starts `count` processes that spin forever, to keep the CPUs busy as on a loaded CI machine. */
export function startBurners(count: number): { stop(): Promise<void> } {
  const burners: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  return {
    async stop() {
      await Promise.all(
        burners.map(
          (burner) =>
            new Promise<void>((resolve) => {
              burner.once('exit', () => resolve());
              burner.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

/** Lets the burners get going before measuring. */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function minMedianMax(values: readonly number[], digits = 1): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/** Writes the result with the machine, the date and the command, and prints it. */
export function report(name: string, command: string, body: string): void {
  const text = `# ${name}\n\nMachine: ${machine()}\nDate: ${new Date().toISOString()}\nCommand: \`${command}\`\n\n${body}\n`;
  const file = new URL(`./results/${name}.md`, import.meta.url);
  writeFileSync(file, text);
  process.stdout.write(text);
}
