// Where in a test's file a thread is: its line, from a stack (V8's and the browsers' both end a frame
// with "file:line:column"), and an error in one line.

/**
 * The line of `file` that the innermost frame of `stack` in that file is at; null where none is. A frame
 * names the file by its URL, or by its path where a loader other than Node's took it (a test runner's).
 */
export function lineOf(stack: string | undefined, file: { readonly url: string }): number | null {
  if (!stack) return null;
  const names = file.url.startsWith('file:') ? [file.url, decodeURIComponent(new URL(file.url).pathname)] : [file.url];
  for (const frame of stack.split('\n')) {
    for (const name of names) {
      const at = frame.indexOf(`${name}:`);
      if (at < 0) continue;
      const match = /^:(\d+):\d+\)?\s*$/.exec(frame.slice(at + name.length));
      if (match) return Number(match[1]);
    }
  }
  return null;
}

/** An error's message in one line, with its kind where that says something ("TypeError: …"). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.split('\n')[0]!;
}
