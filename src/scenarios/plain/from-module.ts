import { PlainMemory } from '../../core/memory/sc.js';
import type { Size } from '../../core/scenario.js';
import { TestError } from '../../errors.js';
import { describeValue } from '../describe-value.js';
import { TestLayout } from './layout.js';
import { MOST_ACCESSES, RerunProgram, type Discovery } from './rerun.js';
import { oneLine } from './source.js';
import { AccessCapacity, EXPECTATIONS, type EndValues, type Expectation, type Judge, type PlainTest, type Register, type TestMode, type TestOutcome, type ThreadFunction } from './test.js';

// A test file's exports, checked and made into a PlainTest. What it may export:
//
//   shared      { x: 0, y: 0 }: the shared variables and their start values (32-bit integers)
//   threads     [f1, f2]: one function per thread; or thread: one function for every thread (--threads);
//               or modes: { unsafe: f | [f1, f2] | { threads, thread, explanation }, … }, the race first
//   outcomes    [{ when: { r1: 0, r2: 0 } | (end) => boolean, expect: 'allowed' | 'forbidden' |
//               'interesting', description }]: each operation is then a round of its own
//   invariant   (end, size) => boolean, or expected: (size) => ({ c: … }): the operations add up
//   summary     one line: what the threads do
//
// Every problem is one TestError naming the file (and the line, where there is one).

/** What a module exports, as import() gives it. */
export type Exports = Readonly<Record<string, unknown>>;

/** Whether a module's exports are a test written as code (its shared variables) rather than a Scenario object. */
export function isPlainTest(exports: Exports): boolean {
  return 'shared' in exports;
}

const NAME = /^[A-Za-z_$][\w$]*$/;
const INT32 = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && (value | 0) === value;

/** What a test made from another format (a litmus file) says of itself beyond its exports. */
export interface MadeTest {
  /** A register's name in outcomes, from its thread (1-based) and the key the thread writes. */
  readonly registerName?: (thread: number, key: string) => string;
  /** The names an end shows, in order (default: every register, then the variables the outcomes name). */
  readonly observed?: readonly string[];
  /** The lines of the file each mode's code spans. */
  readonly lines?: TestMode['lines'];
  readonly question?: PlainTest['question'];
}

/** The test `exports` declares; `file` as reports show it, `url` as stacks name it, `source` its text. */
export function plainTestOf(exports: Exports, file: { readonly shown: string; readonly url: string; readonly name: string }, source: string, made: MadeTest = {}): PlainTest {
  const problem = (text: string) => new TestError(`${file.shown}: ${text}`);
  const variables = sharedVariables(exports.shared, problem);
  const { modes, threads } = modesOf(exports, problem, source, made.lines);
  const judged = exports.outcomes !== undefined ? 'outcomes' : exports.invariant !== undefined || exports.expected !== undefined ? 'invariant' : null;
  if (judged === null) throw problem('exports neither outcomes nor an invariant: expected outcomes (an array of { when, expect, description }), invariant ((end, size) => boolean) or expected ((size) => ({ name: value }))');
  if (exports.outcomes !== undefined && (exports.invariant !== undefined || exports.expected !== undefined)) throw problem('exports both outcomes and an invariant: a test is judged by one of them');
  const summary = exports.summary === undefined ? `${threads === null ? 'every thread runs one function' : plural(threads, 'thread')} over shared ${variables.map((v) => v.name).join(', ')}` : exports.summary;
  if (typeof summary !== 'string') throw problem(`summary is ${describeValue(exports.summary)}: expected one line of text`);
  // A first test without registers or locks, to learn them: each thread of each mode run alone.
  const draft: PlainTest = {
    name: file.name,
    file: file.shown,
    url: file.url,
    summary,
    variables,
    registers: [],
    locks: 0,
    modes,
    threads,
    symmetric: false,
    judge: { kind: 'invariant', text: '', holds: () => true },
    observed: [],
    source: source.split('\n'),
    capacity: new AccessCapacity(MOST_ACCESSES),
    program: (mode, size, layout, options) => new RerunProgram(draft, mode, size, layout, { lines: options.lines ?? false, capacity: MOST_ACCESSES }),
  };
  const discovery = dryRun(draft);
  const registers = registersOf(discovery, threads, problem, made.registerName);
  const names = new Set([...registers.map((r) => r.name), ...variables.map((v) => v.name)]);
  const judge = judged === 'outcomes' ? outcomesOf(source, exports.outcomes, names, registers, variables, problem) : invariantOf(exports, names, problem);
  const test: PlainTest = {
    ...draft,
    registers,
    locks: discovery.locks,
    symmetric: threads === null && registers.length === 0 && !discovery.readsThread,
    judge: judge.judge,
    observed: made.observed ?? [...registers.map((r) => r.name), ...variables.map((v) => v.name).filter((name) => judge.variables.has(name))],
    ...(made.question ? { question: made.question } : {}),
    capacity: new AccessCapacity(Math.min(MOST_ACCESSES, 2 * discovery.accesses + 4)),
    program: (mode, size, layout, options) =>
      new RerunProgram(test, mode, size, layout, { lines: options.lines ?? false, capacity: options.compact ? test.capacity.accesses : MOST_ACCESSES }),
  };
  return test;
}

function sharedVariables(shared: unknown, problem: (text: string) => TestError): PlainTest['variables'] {
  if (typeof shared !== 'object' || shared === null || Array.isArray(shared)) throw problem(`shared is ${describeValue(shared)}: expected an object of shared variables and their start values, { x: 0, y: 0 }`);
  const entries = Object.entries(shared);
  if (entries.length === 0) throw problem('shared has no variables: expected at least one, { x: 0 }');
  return entries.map(([name, start]) => {
    if (!NAME.test(name)) throw problem(`shared variable ${JSON.stringify(name)} is not a name a thread can write as s.${name}`);
    if (!INT32(start)) throw problem(`shared variable ${name} starts at ${describeValue(start)}: expected a 32-bit integer`);
    return { name, start };
  });
}

/** The modes: `modes`, or one mode of `threads` or `thread`; and how many threads (null: one function for all). */
function modesOf(exports: Exports, problem: (text: string) => TestError, source: string, lines: TestMode['lines'] | undefined): { modes: TestMode[]; threads: number | null } {
  const given = [exports.modes, exports.threads, exports.thread].filter((value) => value !== undefined).length;
  if (given === 0) throw problem('exports no threads: expected threads (an array of functions, one per thread), thread (one function for every thread) or modes');
  if (given > 1) throw problem('exports more than one of modes, threads and thread: give the threads one way');
  if (exports.threads !== undefined && !Array.isArray(exports.threads)) throw problem(`threads is ${describeValue(exports.threads)}: expected an array of functions, one per thread (one function for every thread is thread)`);
  if (exports.thread !== undefined && typeof exports.thread !== 'function') throw problem(`thread is ${describeValue(exports.thread)}: expected a function (s, r, t) => { … } that every thread runs`);
  const entries: [string, unknown][] = exports.modes !== undefined ? modeEntries(exports.modes, problem) : [['test', exports.threads ?? exports.thread]];
  const modes = entries.map(([name, value], i) => modeOf(name, value, i === 0, problem, source, lines));
  // An array gives one function per thread, so many threads; one function runs on every thread, as many as asked.
  const counts = new Set(entries.map(([, value]) => (Array.isArray(threadsValue(value)) ? (threadsValue(value) as unknown[]).length : null)));
  if (counts.size > 1) throw problem(`its modes have different numbers of threads (${[...counts].map((c) => c ?? 'one function for all').join(', ')}): every mode runs the same threads`);
  return { modes, threads: [...counts][0] ?? null };
}

function modeEntries(modes: unknown, problem: (text: string) => TestError): [string, unknown][] {
  if (typeof modes !== 'object' || modes === null || Array.isArray(modes)) throw problem(`modes is ${describeValue(modes)}: expected an object of modes, the race first: { unsafe: …, atomic: … }`);
  const entries = Object.entries(modes);
  if (entries.length === 0) throw problem('modes has none: expected at least one');
  for (const [name] of entries) if (!/^[a-z][a-z0-9-]*$/.test(name) || name === 'all') throw problem(`mode ${JSON.stringify(name)} is not a mode's name: lower-case letters, digits and -`);
  return entries;
}

/** A mode's threads as given: a function, an array of them, or the object's `threads` or `thread`. */
function threadsValue(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const mode = value as Record<string, unknown>;
    return mode.threads ?? mode.thread;
  }
  return value;
}

function modeOf(name: string, value: unknown, racy: boolean, problem: (text: string) => TestError, source: string, lines: TestMode['lines'] | undefined): TestMode {
  const given = threadsValue(value);
  const explained = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).explanation : undefined;
  if (explained !== undefined && typeof explained !== 'string') throw problem(`mode ${name}'s explanation is ${describeValue(explained)}: expected a sentence`);
  const functions = Array.isArray(given) ? given : [given];
  if (functions.length === 0 || functions.some((f) => typeof f !== 'function')) {
    throw problem(`mode ${name}'s threads are ${describeValue(given)}: expected a function (s, r, t) => { … }, or an array of them, one per thread`);
  }
  return {
    name,
    racy,
    explanation: explained ?? (racy ? "its threads' plain reads and writes of the shared variables race" : 'as the test writes it'),
    functions: functions as ThreadFunction[],
    lines: lines ?? linesOf(functions as ThreadFunction[], source),
  };
}

/** The lines of the file the functions' text spans, where the file holds it as written. */
function linesOf(functions: readonly ThreadFunction[], source: string): TestMode['lines'] {
  const spans = functions.map((f) => {
    const at = source.indexOf(f.toString());
    if (at < 0) return null;
    const from = source.slice(0, at).split('\n').length;
    return { from, to: from + f.toString().split('\n').length - 1 };
  });
  if (spans.some((span) => span === null)) return null;
  return { from: Math.min(...spans.map((span) => span!.from)), to: Math.max(...spans.map((span) => span!.to)) };
}

/** Each thread of each mode run alone on the model, one operation, in turn: what they write and take. */
function dryRun(test: PlainTest): Discovery {
  const discovery: Discovery = { registers: new Map(), locks: 0, accesses: 0, readsThread: false };
  const threads = test.threads ?? 2;
  const size: Size = { threads, iters: 1 };
  const layout = new TestLayout(test, size);
  for (const mode of test.modes) {
    const program = new RerunProgram(test, mode, size, layout, { lines: false, capacity: MOST_ACCESSES, discovery });
    const cells = new Int32Array(layout.cellCount);
    layout.init(cells);
    const memory = new PlainMemory(cells, TestLayout.LOCK_CELL, threads);
    for (let thread = 1; thread <= threads; thread++) {
      const words = new Int32Array(program.width);
      program.start(thread, words);
      while (!program.isDone(thread, words)) {
        memory.current = thread;
        if (program.step(thread, words, memory).action === 'blocked') {
          throw new TestError(`${test.file}: thread ${thread} (mode ${mode.name}) waits for a lock while running alone: it takes a lock it already holds, or one it never lets go`);
        }
      }
      for (let lock = 0; lock < discovery.locks; lock++) {
        if (memory.holder(lock) === thread) throw new TestError(`${test.file}: thread ${thread} (mode ${mode.name}) ends its operation holding lock ${lock}: let every lock go (t.unlock(${lock === 0 ? '' : lock}))`);
      }
    }
  }
  return discovery;
}

/** The registers the threads wrote, named as outcomes name them: "r1", or "2:r1" where two threads write r1. */
function registersOf(discovery: Discovery, threads: number | null, problem: (text: string) => TestError, named?: (thread: number, key: string) => string): Register[] {
  if (threads === null && [...discovery.registers.values()].some((keys) => keys.size > 0)) {
    throw problem('keeps registers (r.…) with one function for every thread: judge it by the shared variables, or give each thread its own function');
  }
  const owners = new Map<string, number[]>();
  for (const [thread, keys] of [...discovery.registers.entries()].sort((a, b) => a[0] - b[0])) {
    for (const key of keys) owners.set(key, [...(owners.get(key) ?? []), thread]);
  }
  const registers: Register[] = [];
  for (const [thread, keys] of [...discovery.registers.entries()].sort((a, b) => a[0] - b[0])) {
    for (const key of [...keys].sort()) registers.push({ name: named ? named(thread, key) : owners.get(key)!.length > 1 ? `${thread}:${key}` : key, thread, key });
  }
  return registers;
}

/** " (line 7)": the first line after `after`'s that names `name` as a key, or '' where none does. */
function lineNaming(source: string, name: string, after: string): string {
  const lines = source.split('\n');
  const from = Math.max(0, lines.findIndex((line) => line.includes(after)));
  const key = new RegExp(`(^|[{,\\s])${name.replace(/[$]/g, '\\$')}\\s*:`);
  const at = lines.findIndex((line, i) => i >= from && key.test(line));
  return at < 0 ? '' : ` (line ${at + 1})`;
}

function outcomesOf(
  source: string,
  given: unknown,
  names: ReadonlySet<string>,
  registers: readonly Register[],
  variables: PlainTest['variables'],
  problem: (text: string) => TestError,
): { judge: Judge; variables: Set<string> } {
  if (!Array.isArray(given) || given.length === 0) throw problem(`outcomes is ${describeValue(given)}: expected an array of { when, expect, description }`);
  const named = new Set<string>();
  const known = () => `its registers are ${registers.length > 0 ? registers.map((r) => r.name).join(', ') : 'none'}; its shared variables ${variables.map((v) => v.name).join(', ')}`;
  const outcomes = given.map((value: unknown, i): TestOutcome => {
    const at = `outcome ${i + 1}`;
    if (typeof value !== 'object' || value === null) throw problem(`${at} is ${describeValue(value)}: expected { when, expect, description }`);
    const outcome = value as Record<string, unknown>;
    if (!EXPECTATIONS.includes(outcome.expect as Expectation)) throw problem(`${at}'s expect is ${describeValue(outcome.expect)}: expected ${EXPECTATIONS.join(', ')}`);
    if (outcome.description !== undefined && typeof outcome.description !== 'string') throw problem(`${at}'s description is ${describeValue(outcome.description)}: expected a sentence`);
    const description = typeof outcome.description === 'string' ? outcome.description : '';
    const when = outcome.when;
    if (when === undefined) return { expect: outcome.expect as Expectation, description, condition: 'any other', matches: () => true };
    if (typeof when === 'function') {
      const read = namesRead(when as (end: EndValues) => unknown, names, (name) => problem(`${at}'s condition reads ${name}, which is no register or shared variable: ${known()}`));
      read.forEach((name) => named.add(name));
      return { expect: outcome.expect as Expectation, description, condition: oneLine(String(when)), matches: (end) => Boolean((when as (end: EndValues) => unknown)(end)) };
    }
    if (typeof when !== 'object' || when === null || Array.isArray(when)) throw problem(`${at}'s when is ${describeValue(when)}: expected the values it matches, { r1: 0 }, or a function (end) => boolean`);
    const wanted = Object.entries(when);
    for (const [name, expected] of wanted) {
      if (!names.has(name)) throw problem(`${at}${lineNaming(source, name, 'outcomes')} names ${name}, which is no register or shared variable: ${known()}`);
      if (!INT32(expected)) throw problem(`${at} wants ${name} = ${describeValue(expected)}: expected a 32-bit integer`);
      named.add(name);
    }
    return {
      expect: outcome.expect as Expectation,
      description,
      condition: wanted.map(([name, expected]) => `${name} = ${String(expected)}`).join(', '),
      matches: (end) => wanted.every(([name, expected]) => end[name] === expected),
    };
  });
  return { judge: { kind: 'outcomes', outcomes }, variables: named };
}

function invariantOf(exports: Exports, names: ReadonlySet<string>, problem: (text: string) => TestError): { judge: Judge; variables: Set<string> } {
  const all = new Set(names);
  if (exports.expected !== undefined) {
    if (exports.invariant !== undefined) throw problem('exports both invariant and expected: give one of them');
    const expected = exports.expected;
    if (typeof expected !== 'function') throw problem(`expected is ${describeValue(expected)}: expected (size) => ({ name: value })`);
    const wanted = (size: Size): Record<string, number> => {
      const result: unknown = (expected as (size: Size) => unknown)(size);
      if (typeof result !== 'object' || result === null) throw problem(`expected(size) gives ${describeValue(result)}: expected { name: value }`);
      for (const [name, value] of Object.entries(result)) {
        if (!names.has(name)) throw problem(`expected(size) names ${name}, which is no register or shared variable`);
        if (!INT32(value)) throw problem(`expected(size) wants ${name} = ${describeValue(value)}: expected a 32-bit integer`);
      }
      return result as Record<string, number>;
    };
    wanted({ threads: 2, iters: 1 });
    return {
      judge: { kind: 'invariant', text: oneLine(String(expected)), expected: wanted, holds: (end, size) => Object.entries(wanted(size)).every(([name, value]) => end[name] === value) },
      variables: all,
    };
  }
  const invariant = exports.invariant;
  if (typeof invariant !== 'function') throw problem(`invariant is ${describeValue(invariant)}: expected (end, size) => boolean`);
  namesRead((end) => (invariant as (end: EndValues, size: Size) => unknown)(end, { threads: 2, iters: 1 }), names, (name) => problem(`the invariant reads ${name}, which is no register or shared variable`));
  return { judge: { kind: 'invariant', text: oneLine(String(invariant)), holds: (end, size) => Boolean((invariant as (end: EndValues, size: Size) => unknown)(end, size)) }, variables: all };
}

/** The names a condition reads of an end (run once on an end of zeros); one it reads that is not there is `unknown`. */
function namesRead(condition: (end: EndValues) => unknown, names: ReadonlySet<string>, unknown: (name: string) => TestError): Set<string> {
  const read = new Set<string>();
  const end = new Proxy<EndValues>({}, {
    get: (_, name) => {
      if (typeof name !== 'string') return undefined;
      if (!names.has(name)) throw unknown(name);
      read.add(name);
      return 0;
    },
  });
  try {
    condition(end);
  } catch (error) {
    if (error instanceof TestError) throw error;
  }
  return read;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

