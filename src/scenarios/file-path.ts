import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The file system's side of a scenario brought as a file: only Node has one, and from-file.ts loads
// this module only when a file is named, so a page that never names one never loads it.

/** The module's absolute URL, from a path relative to the working directory or a file: URL. */
export function absoluteUrl(ref: string): string {
  return ref.startsWith('file:') ? ref : pathToFileURL(resolve(ref)).href;
}

/** What is at `url`: a file, something else, or nothing. */
export async function kindAt(url: string): Promise<'file' | 'other' | 'none'> {
  const found = await stat(fileURLToPath(url)).catch(() => null);
  return found === null ? 'none' : found.isFile() ? 'file' : 'other';
}

/**
 * For a file that does not exist, the file beside where it was looked for whose name is nearest to its
 * name (a typo of one or two letters: SB.litmsu is SB.litmus), as a report names it; null if none is.
 */
export async function nearestFile(url: string): Promise<string | null> {
  const full = fileURLToPath(url);
  const wanted = basename(full);
  const names = await readdir(dirname(full)).catch(() => [] as string[]);
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (best === null || distance < best.distance)) best = { name, distance };
  }
  return best ? shownPath(pathToFileURL(join(dirname(full), best.name)).href) : null;
}

/** Levenshtein's distance: the fewest letters inserted, deleted or changed to turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** How a report names the file: ./relative when it is under the working directory, else its full path. */
export function shownPath(url: string): string {
  const full = fileURLToPath(url);
  const path = relative(process.cwd(), full);
  return isAbsolute(path) || path.startsWith('..') ? full : `./${path}`;
}

/** The file's text. */
export function readText(url: string): Promise<string> {
  return readFile(fileURLToPath(url), 'utf8');
}

/** The file's name, without its folder: what a report calls a test. */
export function fileName(url: string): string {
  return basename(fileURLToPath(url));
}

/**
 * The line of a syntax error in the module at `url`: Node says it only on the console, so a check of the
 * file's text as an ES module asks it again. Only after a load has failed; null where it cannot tell.
 */
export async function syntaxErrorLine(url: string): Promise<number | null> {
  // Imported by its bare name: the CLI's bundle swaps `node:child_process` out for commander's sake.
  const { spawnSync } = await import('child_process');
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: await readText(url), encoding: 'utf8', timeout: 10_000 });
  const match = /^\[stdin\]:(\d+)/m.exec(check.stderr ?? '');
  return match ? Number(match[1]) : null;
}
