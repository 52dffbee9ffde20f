import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
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

/** How a report names the file: ./relative when it is under the working directory, else its full path. */
export function shownPath(url: string): string {
  const full = fileURLToPath(url);
  const path = relative(process.cwd(), full);
  return isAbsolute(path) || path.startsWith('..') ? full : `./${path}`;
}
