import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// The documentation's examples are run: every command shown in a console block must succeed, and every
// JSON example must have exactly the fields and types that the command it came from prints.

const ROOT = new URL('../../', import.meta.url);
const pages = ['README.md', ...readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = (page: string) => readFileSync(new URL(page, ROOT), 'utf8');

/** `$ race-demo …` lines of ```console blocks. */
function consoleCommands(page: string): string[] {
  return [...text(page).matchAll(/```console\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.split('\n').filter((line) => line.startsWith('$ race-demo ')).map((line) => line.slice(2)));
}

/** JSON examples with the command they came from. */
function jsonExamples(page: string): { command: string; json: string }[] {
  return [...text(page).matchAll(/<!-- from: (race-demo [^>]*?) -->\n```json\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, json: m[2]! }));
}

/** A value's shape: the type of a primitive, the shape of each field of an object, of the first item of an array. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, shapeOf(v)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  return typeof value;
}

/**
 * Fields that docs/json.md says may be null, where its example shows a value: a run may or may not see
 * the race in the act (or deadlock), so there the real output may hold null and still be as documented.
 */
const MAY_BE_NULL = new Set(['results.evidence.largest', 'results.deadlock']);

/** The documented shape, with null where the real output has null in a field that may be null. */
function allowNulls(actual: unknown, documented: unknown, path = ''): unknown {
  if (actual === 'null' && MAY_BE_NULL.has(path)) return 'null';
  if (Array.isArray(actual) && Array.isArray(documented)) return documented.map((item, i) => allowNulls(actual[i], item, path));
  if (actual && documented && typeof actual === 'object' && typeof documented === 'object') {
    return Object.fromEntries(Object.entries(documented).map(([key, v]) => [key, allowNulls((actual as Record<string, unknown>)[key], v, path ? `${path}.${key}` : key)]));
  }
  return documented;
}

const args = (command: string) => command.split(' ').slice(1);

const commands = pages.flatMap((page) => consoleCommands(page).map((command) => ({ page, command })));
const examples = pages.flatMap((page) => jsonExamples(page).map((example) => ({ page, ...example })));

describe('the documentation, run', () => {
  it('has examples to run', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(examples.length).toBeGreaterThan(3);
  });

  it.each(commands)('$page: `$command` runs as shown', async ({ command }) => {
    const { exitCode, stderr } = await runCli(args(command));
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
  });

  it.each(examples)('$page: the JSON of `$command` has the documented fields and types', async ({ command, json }) => {
    const { exitCode, stdout } = await runCli(args(command));
    expect(exitCode).toBe(0);
    const actual = shapeOf(JSON.parse(stdout));
    expect(actual).toEqual(allowNulls(actual, shapeOf(JSON.parse(json))));
  });
});
