// The web's side of a scenario brought as a file: a page names its files by http(s) URL (the shipped
// examples, served beside it), fetches their text and imports them; it has no file system and no
// `node --check` to ask a syntax error's line of. The same functions as file-path.ts, for from-file.ts.

/** The URL as given: a page's files are named by absolute URL already. */
export function absoluteUrl(ref: string): string {
  return new URL(ref).href;
}

/** What is at `url`: a file (the server answers it), or nothing. A URL cannot name a folder. */
export async function kindAt(url: string): Promise<'file' | 'other' | 'none'> {
  const response = await fetch(url, { method: 'HEAD' }).catch(() => null);
  return response?.ok ? 'file' : 'none';
}

/** A server lists no folder: no nearest name to offer. */
export function nearestFile(): Promise<string | null> {
  return Promise.resolve(null);
}

/** How a report names the file: its path on the server (/examples/store-buffering.mjs). */
export function shownPath(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}

/** The file's text. */
export async function readText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${shownPath(url)}: ${response.status} ${response.statusText}`);
  return response.text();
}

/** The file's name, without its folder. */
export function fileName(url: string): string {
  return shownPath(url).split('/').pop()!;
}

/** A browser says a syntax error's line only on its console: the message has to do without it. */
export function syntaxErrorLine(): Promise<number | null> {
  return Promise.resolve(null);
}
