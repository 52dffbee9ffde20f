import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../dist/index.js';

// The design's rule: no pipeline names a scenario. Everything outside src/scenarios/ (and the library's
// list of exports) reads what a scenario says of itself; a name in its code would be a special case.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The code without its comments: a comment may give a scenario as an example. */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const ENGLISH = new Set(['list', 'deadlock']);

const shared = sourceFiles(SRC)
  .map((path) => relative(SRC, path))
  .filter((path) => !path.startsWith('scenarios/') && path !== 'index.ts');

describe('shared code names no scenario', () => {
  it('covers the shared layers', () => {
    for (const layer of ['cli/', 'web/', 'run/', 'replay/', 'explore/', 'runtime/', 'core/']) expect(shared.some((path) => path.startsWith(layer))).toBe(true);
  });

  it.each(shared)('%s', (path) => {
    const code = codeOf(readFileSync(join(SRC, path), 'utf8'));
    for (const name of SCENARIO_NAMES) {
      // "list" and "deadlock" are also words of the messages (list the steps; a deadlock end): as a scenario's
      // name they would be compared with one. Any other name may not appear at all, in a help text or a
      // message either.
      const named = ENGLISH.has(name) ? new RegExp(`(name|scenario|ref)\\s*[!=]==?\\s*['"\`]${name}['"\`]`) : new RegExp(`\\b${name}\\b`);
      expect(code, `${path} names the ${name} scenario`).not.toMatch(named);
      expect(code, `${path} imports the ${name} scenario's module`).not.toMatch(new RegExp(`from '[./]*/scenarios/${name}[/.]`));
    }
  });
});
