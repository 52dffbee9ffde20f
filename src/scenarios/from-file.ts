import type { ModeSpec, Scenario } from '../core/scenario.js';
import { ScenarioError, UsageError } from '../errors.js';
import { describeValue } from './describe-value.js';
import { parseLitmus } from './litmus/parse.js';
import { litmusTestOf } from './litmus/to-test.js';
import { isPlainTest, plainTestOf } from './plain/from-module.js';
import { oneLine } from './plain/source.js';
import { testScenario } from './plain/scenario.js';

// A scenario brought by the user: an ES module that exports one (by default, or as `scenario`). Loading
// it runs its code, as `node` would. What it exports is checked field by field before any thread
// starts, and every function of it is wrapped so that an exception names the scenario and the thread.

/** Whether `ref` names a module rather than a built-in scenario: a path, a file: URL, or (on a page) an http(s) URL. */
export function isModuleRef(ref: string): boolean {
  return ref.startsWith('file:') || ref.includes('/') || ref.includes('\\') || /\.([cm]?js|litmus)$/.test(ref);
}

/**
 * The module's URL, absolute: what a worker (whose directory may differ) loads. The file system is
 * loaded when asked (file-path.ts), so a browser page that never names a file never loads Node's modules.
 */
export async function moduleUrl(ref: string): Promise<string> {
  return (await filesFor(ref)).absoluteUrl(ref);
}

/** Where the file at `ref` is read from: the web for an http(s) URL (a page's examples), else the file system. */
function filesFor(ref: string): Promise<typeof import('./file-path.js')> {
  return /^https?:/.test(ref) ? import('./url-file.js') : import('./file-path.js');
}

/** Loads, checks and guards the scenario the module at `ref` exports; any problem is a UsageError naming the file. */
export async function loadScenarioFile(ref: string): Promise<Scenario> {
  const files = await filesFor(ref);
  const url = files.absoluteUrl(ref);
  const kind = await files.kindAt(url);
  if (kind === 'none') {
    const nearest = await files.nearestFile(url);
    throw new UsageError(`{scenario} '${ref}' is neither a built-in scenario nor a file that exists${nearest ? ` (did you mean ${nearest}?)` : ''}`);
  }
  if (kind === 'other') throw new UsageError(`{scenario} '${ref}' is not a file: expected an ES module that exports a scenario`);
  const file = { shown: files.shownPath(url), url, name: files.fileName(url) };
  if (url.endsWith('.litmus')) {
    const source = await files.readText(url);
    return testScenario(litmusTestOf(parseLitmus(source, file.shown), file, source));
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // Braces of the error's own text are not fields of the message.
    const what = oneLine(error).replace(/\{(\w+)\}/g, '{ $1 }');
    const line = error instanceof SyntaxError ? await files.syntaxErrorLine(url) : lineOfLoad(error, url);
    throw new UsageError(`{scenario} '${ref}' failed to load${line === null ? '' : ` at line ${line}`}: ${what} (expected an ES module that loads)`);
  }
  if (isPlainTest(module)) return testScenario(plainTestOf(module, file, await files.readText(url)));
  const exported = module.default ?? module.scenario;
  if (exported === undefined) {
    throw new UsageError(
      `{scenario} '${ref}' exports neither a test (shared variables and their threads: export const shared = { x: 0 }) nor a scenario (a default export with the fields of race-demo's Scenario)`,
    );
  }
  const problems = problemsOf(exported);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new UsageError(`{scenario} '${ref}' does not export a valid scenario: ${problems[0]}${more}`);
  }
  return guarded(exported as Scenario, files.shownPath(url));
}

const STRINGS = ['name', 'summary', 'operation', 'measure', 'broken'] as const;
const FUNCTIONS = ['cellCount', 'stateCells', 'init', 'step', 'isDone', 'measureOf', 'breaks', 'outcome'] as const;
const OPTIONAL_FUNCTIONS = ['lockCount', 'sizeProblem', 'table', 'annotate', 'explainTrace', 'describeSighting', 'renameThreads'] as const;

/** Every way `value` falls short of the Scenario contract, in words; empty when it keeps it. */
export function problemsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [`it exports ${describeValue(value)}, not an object`];
  const scenario = value as Record<string, unknown>;
  const problems: string[] = [];
  const need = (ok: boolean, field: string, expected: string) => {
    if (!ok) problems.push(`${field} is ${describeValue(fieldOf(scenario, field))}: expected ${expected}`);
  };
  for (const field of STRINGS) need(typeof scenario[field] === 'string' && scenario[field] !== '', field, 'a non-empty string');
  for (const field of FUNCTIONS) need(typeof scenario[field] === 'function', field, 'a function');
  for (const field of OPTIONAL_FUNCTIONS) need(scenario[field] === undefined || typeof scenario[field] === 'function', field, 'a function, or nothing');
  need(isCount(scenario.lockCell, 0), 'lockCell', 'an integer from 0');
  need(isCount(scenario.maxTotal, 1), 'maxTotal', 'an integer from 1');
  const watch = scenario.watch as Record<string, unknown> | undefined;
  need(typeof watch === 'object' && watch !== null, 'watch', 'an object { label, cell }');
  if (typeof watch === 'object' && watch !== null) {
    need(typeof watch.label === 'string', 'watch.label', 'a string');
    need(isCount(watch.cell, 0), 'watch.cell', 'an integer from 0');
  }
  need(Array.isArray(scenario.modes) && scenario.modes.length > 0, 'modes', 'a non-empty array of modes, the race first');
  if (Array.isArray(scenario.modes)) {
    const names = new Set<unknown>();
    scenario.modes.forEach((mode: unknown, i) => problems.push(...modeProblems(mode, `modes[${i}]`, names)));
  }
  need(scenario.storeBuffers === undefined || typeof scenario.storeBuffers === 'boolean', 'storeBuffers', 'a boolean, or nothing');
  const defaults = scenario.defaults as Record<string, unknown> | undefined;
  need(defaults === undefined || (typeof defaults === 'object' && defaults !== null), 'defaults', 'an object { threads, iters }, or nothing');
  if (typeof defaults === 'object' && defaults !== null) {
    for (const field of ['threads', 'iters']) need(defaults[field] === undefined || isCount(defaults[field], 1), `defaults.${field}`, 'an integer from 1, or nothing');
  }
  const hooks = scenario.hooks as Record<string, unknown> | undefined;
  need(hooks === undefined || (typeof hooks === 'object' && hooks !== null), 'hooks', 'an object, or nothing');
  if (typeof hooks === 'object' && hooks !== null) {
    for (const hook of ['loop', 'model']) need(hooks[hook] === undefined || typeof hooks[hook] === 'function', `hooks.${hook}`, 'a function, or nothing');
  }
  return problems;
}

function modeProblems(value: unknown, at: string, names: Set<unknown>): string[] {
  if (typeof value !== 'object' || value === null) return [`${at} is ${describeValue(value)}: expected a mode { name, racy, gapAfter, explanation }`];
  const mode = value as Partial<Record<keyof ModeSpec, unknown>>;
  const problems: string[] = [];
  const need = (ok: boolean, field: string, expected: string) => {
    if (!ok) problems.push(`${at}.${field} is ${describeValue(mode[field as keyof ModeSpec])}: expected ${expected}`);
  };
  need(typeof mode.name === 'string' && /^[\w-]+$/.test(mode.name), 'name', 'a name of letters, digits, - and _');
  if (names.has(mode.name)) problems.push(`${at}.name '${String(mode.name)}' is taken by an earlier mode`);
  names.add(mode.name);
  need(typeof mode.racy === 'boolean', 'racy', 'true (the race) or false (a fix)');
  need(mode.lock === undefined || mode.lock === 'mutex' || mode.lock === 'spin', 'lock', "'mutex', 'spin', or nothing");
  need(mode.retries === undefined || typeof mode.retries === 'boolean', 'retries', 'a boolean, or nothing');
  need(mode.meets === undefined || typeof mode.meets === 'boolean', 'meets', 'a boolean, or nothing');
  need(Array.isArray(mode.gapAfter) && mode.gapAfter.every((step) => typeof step === 'string'), 'gapAfter', 'an array of step names (it may be empty)');
  need(typeof mode.explanation === 'string', 'explanation', 'a string');
  return problems;
}

function fieldOf(object: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined), object);
}

function isCount(value: unknown, min: number): boolean {
  return Number.isInteger(value) && (value as number) >= min;
}


/** The line of the file its stack names where loading it threw (as a URL, or as a path where Node took it for CommonJS), or null. */
function lineOfLoad(error: unknown, url: string): number | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const name of [url, decodeURIComponent(new URL(url).pathname)]) {
    const at = stack.indexOf(`${name}:`);
    if (at >= 0) return Number(/^:(\d+)/.exec(stack.slice(at + name.length))?.[1] ?? NaN) || null;
  }
  return null;
}


/**
 * The scenario with each of its functions made to throw a ScenarioError that says which function of which
 * scenario failed (and, for a step, on which thread): the user's code is not race-demo's internal error.
 */
function guarded(scenario: Scenario, label: string): Scenario {
  const wrap = <F extends (...args: never[]) => unknown>(name: string, fn: F, thread?: (args: Parameters<F>) => number): F =>
    ((...args: Parameters<F>) => {
      try {
        return fn.apply(scenario, args);
      } catch (error) {
        const who = thread ? ` on thread ${thread(args)}` : '';
        throw new ScenarioError(`the scenario ${label} failed: its ${name}${who} threw: ${oneLine(error)}`, { cause: error });
      }
    }) as F;
  const copy: Record<string, unknown> = { ...scenario };
  const functions = scenario as unknown as Record<string, ((...args: never[]) => unknown) | undefined>;
  for (const name of [...FUNCTIONS, ...OPTIONAL_FUNCTIONS]) {
    const fn = functions[name];
    if (fn) copy[name] = wrap(name, fn, name === 'step' ? (args) => args[1] as unknown as number : undefined);
  }
  return copy as unknown as Scenario;
}
