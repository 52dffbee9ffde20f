import { ProgramWidthError, type Program } from '../../core/machine/program.js';
import { BLOCKED, type Memory, type Size, type StepResult } from '../../core/scenario.js';
import { TestError } from '../../errors.js';
import { TestLayout } from './layout.js';
import { lineOf, oneLine } from './source.js';
import { inRounds, type PlainTest, type TestCells, type TestMode, type ThreadFunction, type ThreadTools } from './test.js';

/**
 * A plain function as the machine takes it, one shared access a step. A function cannot pause, so each
 * step runs it again from its start, handing back what each access returned the first time (a function
 * fed the same reads takes the same path), takes the next access for real, and stops at the one after.
 * A thread's words are what the accesses of its operation so far returned, and a hash of them:
 *
 *   [ operations done | arriving | accesses taken | chain | value of access 1 | value of access 2 | … ]
 *
 * Run again, a function that takes another path (Math.random, Date, state kept between calls) no longer
 * matches its chain: it is refused, naming the access where it went another way.
 */

const OPERATIONS = 0;
/** 1 where the thread's next step is its arrival at the next round's rendezvous. */
const ARRIVING = 1;
const TAKEN = 2;
const CHAIN = 3;
const VALUES = 4;

/** The most accesses one operation may make: past it, a thread is taken to be one that never ends (a spin loop). */
export const MOST_ACCESSES = 4096;
/** Accesses remembered to name where a thread took another path, at most. */
const MOST_REMEMBERED = 1 << 20;

const KINDS = ['read', 'write', 'load', 'store', 'add', 'exchange', 'cas', 'fence', 'lock', 'unlock'] as const;
type Kind = (typeof KINDS)[number];
const KIND_NUMBER = Object.fromEntries(KINDS.map((kind, i) => [kind, i])) as Record<Kind, number>;
/** The kinds a step names the variable of: "read x". */
const ACCESSES_A_VARIABLE: ReadonlySet<Kind> = new Set(['read', 'write', 'load', 'store', 'add', 'exchange', 'cas']);

/** Thrown through the user's function to stop it at the access after the one its step takes: made once, as a throw is per step. */
class Pause extends Error {}
const PAUSE = new Pause('race-demo pauses the thread here');
/** Thrown through it where the step's access is a lock another thread holds. */
class Blocked extends Error {
  constructor(readonly holder: number) {
    super('race-demo: the lock is taken');
  }
}

/** What a dry run learns of a test's threads: the registers each writes, the locks, and the longest operation. */
export interface Discovery {
  readonly registers: Map<number, Set<string>>;
  locks: number;
  accesses: number;
  /** Whether a thread asked which thread it is (t.thread): then its threads are not interchangeable. */
  readsThread: boolean;
}

export interface RerunOptions {
  readonly lines: boolean;
  /** Words for this many accesses of one operation (a compact program grows them as it needs). */
  readonly capacity: number;
  /** Where a dry run collects what it learns; with it, any register and lock is taken. */
  readonly discovery?: Discovery;
}

export class RerunProgram implements Program {
  readonly width: number;
  private readonly rounds: boolean;
  private readonly variableIndex: Map<string, number>;
  /** Per thread (1-based), its registers: the key it writes, and the register's index. */
  private readonly registersOf: Map<string, number>[];
  // By (thread, chain before it): the signature of the access taken there; and each signature's words.
  // A step costs a lookup, not a string: the words are needed only to name a divergence.
  // Per thread, keyed by the chain alone: a small integer key is what a Map hashes fastest.
  private readonly remembered: Map<number, number>[];
  private rememberedCount = 0;
  private readonly described = new Map<number, string>();
  private readonly s: Record<string, number>;
  private readonly t: ThreadTools;
  // The step under way.
  private words: Int32Array = new Int32Array(0);
  private memory: Memory | null = null;
  private thread = 0;
  private round = 0;
  private index = 0;
  private taken = 0;
  private chain = 0;
  private live = false;
  private paused = false;
  private result: StepResult | null = null;
  /** The signatures of the accesses handed back so far in this run. */
  private readonly replayed: number[] = [];
  /** A step's action, by kind and variable: made once, not a string a step. */
  private readonly actions: readonly (readonly string[])[];

  constructor(
    private readonly test: PlainTest,
    private readonly mode: TestMode,
    private readonly size: Size,
    private readonly layout: TestCells,
    private readonly options: RerunOptions,
  ) {
    this.width = VALUES + options.capacity;
    this.rounds = inRounds(test);
    this.variableIndex = new Map(test.variables.map((variable, v) => [variable.name, v]));
    this.registersOf = Array.from({ length: size.threads + 1 }, () => new Map<string, number>());
    this.remembered = Array.from({ length: size.threads + 1 }, () => new Map<number, number>());
    this.actions = KINDS.map((kind) => test.variables.map((variable) => (ACCESSES_A_VARIABLE.has(kind) ? `${kind} ${variable.name}` : kind)));
    test.registers.forEach((register, j) => this.registersOf[register.thread]?.set(register.key, j));
    this.s = this.sharedObject();
    this.t = this.tools();
  }

  start(_thread: number, words: Int32Array): void {
    words.fill(0);
  }

  isDone(_thread: number, words: Int32Array): boolean {
    return words[OPERATIONS]! >= this.size.iters;
  }

  operations(words: Int32Array): number {
    return words[OPERATIONS]!;
  }

  step(thread: number, words: Int32Array, memory: Memory): StepResult {
    const operation = words[OPERATIONS]!;
    if (words[ARRIVING] === 1) {
      words[ARRIVING] = 0;
      return { action: 'arrive', value: memory.fetchAdd(TestLayout.ARRIVED, 1) + 1 };
    }
    // A round starts once every thread has arrived for it (the first needs no rendezvous: all start together).
    if (this.rounds && operation > 0 && words[TAKEN] === 0 && memory.atomicLoad(TestLayout.ARRIVED) < this.size.threads * operation) {
      return { action: BLOCKED, value: null };
    }
    const r = this.begin(thread, words, memory, operation);
    let returned = false;
    try {
      this.functionOf(thread)(this.s, r, this.t);
      returned = true;
    } catch (error) {
      if (error instanceof Blocked) return { action: BLOCKED, value: error.holder };
      if (error !== PAUSE) throw this.threw(thread, error);
    }
    if (!returned) return this.result!;
    if (this.paused) throw new TestError(`${this.who(thread)} catches what race-demo throws to pause it: a thread's function may not catch every error`);
    if (this.index < this.taken) throw this.diverged(thread, this.index);
    this.finish(thread, words, memory, operation, r);
    return this.result ?? { action: 'return', value: null };
  }

  /** Sets up a run of the thread's function for one step; returns its fresh registers. */
  private begin(thread: number, words: Int32Array, memory: Memory, operation: number): Record<string, number> {
    this.words = words;
    this.memory = memory;
    this.thread = thread;
    this.round = operation;
    this.index = 0;
    this.taken = words[TAKEN]!;
    // Not the thread's number: where threads are interchangeable, equal words must mean an equal state.
    this.chain = mix(CHAIN_SEED, operation);
    this.live = false;
    this.paused = false;
    this.result = null;
    this.replayed.length = 0;
    const r: Record<string, number> = {};
    // Registers start at 0, as a litmus test's do: a path that never writes one still ends with a value.
    for (const key of this.registersOf[thread]!.keys()) r[key] = 0;
    return r;
  }

  /** The operation is over: its registers kept, the thread on to the next one (and, in rounds, to its rendezvous). */
  private finish(thread: number, words: Int32Array, memory: Memory, operation: number, r: Record<string, number>): void {
    const discovery = this.options.discovery;
    for (const [key, value] of Object.entries(r)) {
      if (!Number.isInteger(value) || (value | 0) !== value) throw new TestError(`${this.who(thread)} keeps ${String(value)} in r.${key}: a register holds a 32-bit integer`);
      if (discovery) {
        const keys = discovery.registers.get(thread) ?? new Set<string>();
        keys.add(key);
        discovery.registers.set(thread, keys);
        continue;
      }
      const register = this.registersOf[thread]!.get(key);
      if (register === undefined) {
        throw new TestError(`${this.who(thread)} writes r.${key}, which it did not write when it ran alone: give every register a value on every path (r.${key} = 0 first)`);
      }
      memory.keep(this.layout.register(register, operation), value);
    }
    if (discovery) discovery.accesses = Math.max(discovery.accesses, this.index);
    words.fill(0, TAKEN);
    words[OPERATIONS] = operation + 1;
    words[ARRIVING] = this.rounds && operation + 1 < this.size.iters ? 1 : 0;
  }

  /** One access of the thread's function: handed back where an earlier step took it, taken for real where it is this step's. */
  private access(kind: Kind, variable: number, a: number, b: number): number {
    const i = this.index++;
    const sig = signature(kind, variable, a, b);
    if (i < this.taken) {
      const value = this.words[VALUES + i]!;
      this.replayed.push(sig);
      this.chain = mix(mix(this.chain, sig), value);
      return value;
    }
    if (this.live) {
      this.paused = true;
      throw PAUSE;
    }
    // The accesses handed back must be the ones taken before: their chain is the one the words keep.
    if (this.taken > 0 && this.chain !== this.words[CHAIN]) throw this.diverged(this.thread, i);
    if (i >= this.options.capacity) throw this.outgrown(i);
    const before = this.chain;
    const value = this.perform(kind, variable, a, b);
    const line = this.options.lines ? lineOf(new Error().stack, this.test) : null;
    if (this.rememberedCount < MOST_REMEMBERED) {
      const mine = this.remembered[this.thread]!;
      if (mine.get(before) !== sig) {
        mine.set(before, sig);
        this.rememberedCount++;
      }
      if (!this.described.has(sig)) this.described.set(sig, this.describe(kind, variable, a, b, line));
    }
    this.words[VALUES + i] = value;
    this.chain = mix(mix(before, sig), value);
    this.words[CHAIN] = this.chain;
    this.words[TAKEN] = i + 1;
    this.live = true;
    const shown = kind === 'fence' || kind === 'lock' || kind === 'unlock' ? null : value;
    const action = this.actions[KIND_NUMBER[kind]]![variable] ?? kind;
    this.result = line === null ? { action, value: shown } : { action, value: shown, line };
    return value;
  }

  /** The access on memory, model or real; what the thread gets back (a store: what it wrote). */
  private perform(kind: Kind, variable: number, a: number, b: number): number {
    const memory = this.memory!;
    const cell = () => this.layout.variable(variable, this.round);
    switch (kind) {
      case 'read':
        return memory.load(cell());
      case 'write':
        memory.store(cell(), a);
        return a;
      case 'load':
        return memory.atomicLoad(cell());
      case 'store':
        memory.atomicStore(cell(), a);
        return a;
      case 'add':
        return memory.fetchAdd(cell(), a);
      case 'exchange':
        return memory.exchange(cell(), a);
      case 'cas':
        return memory.compareExchange(cell(), a, b);
      case 'fence':
        memory.fence();
        return 0;
      case 'lock':
        if (!memory.tryLock(this.thread, a)) throw new Blocked(memory.holder(a));
        return 0;
      case 'unlock':
        memory.unlock(a);
        return 0;
    }
  }

  /** The shared variables as plain properties: each read and write is one access. */
  private sharedObject(): Record<string, number> {
    const s: Record<string, number> = {};
    this.test.variables.forEach((variable, v) => {
      Object.defineProperty(s, variable.name, {
        enumerable: true,
        get: () => this.access('read', v, 0, 0),
        set: (value: unknown) => void this.access('write', v, this.integer(value, `s.${variable.name}`), 0),
      });
    });
    // A name that is not a variable is a mistake, not a new variable: reading or writing it throws.
    return new Proxy(Object.preventExtensions(s), {
      get: (target, name) => {
        if (typeof name === 'string' && !(name in target)) throw new TestError(`${this.who(this.thread)} reads s.${name}, which is not a shared variable: ${this.variablesText()}`);
        return Reflect.get(target, name) as number;
      },
      set: (target, name, value) => {
        if (typeof name === 'string' && !(name in target)) throw new TestError(`${this.who(this.thread)} writes s.${name}, which is not a shared variable: ${this.variablesText()}`);
        return Reflect.set(target, name, value);
      },
    });
  }

  private tools(): ThreadTools {
    const variable = (name: unknown, what: string): number => {
      const index = typeof name === 'string' ? this.variableIndex.get(name) : undefined;
      if (index === undefined) throw new TestError(`${this.who(this.thread)} calls t.${what}(${JSON.stringify(name)}): ${this.variablesText()}`);
      return index;
    };
    const lock = (given: unknown, what: string): number => {
      const index = given ?? 0;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new TestError(`${this.who(this.thread)} calls t.${what}(${JSON.stringify(given)}): a lock is 0, 1, 2, …`);
      const discovery = this.options.discovery;
      if (discovery) discovery.locks = Math.max(discovery.locks, index + 1);
      else if (index >= this.test.locks) throw new TestError(`${this.who(this.thread)} takes lock ${index}, which it did not take when it ran alone (its locks: 0 to ${this.test.locks - 1})`);
      return index;
    };
    const tools = {
      threads: this.size.threads,
      load: (name: string) => this.access('load', variable(name, 'load'), 0, 0),
      store: (name: string, value: number) => void this.access('store', variable(name, 'store'), this.integer(value, `t.store(${name})`), 0),
      add: (name: string, value: number) => this.access('add', variable(name, 'add'), this.integer(value, `t.add(${name})`), 0),
      exchange: (name: string, value: number) => this.access('exchange', variable(name, 'exchange'), this.integer(value, `t.exchange(${name})`), 0),
      cas: (name: string, expected: number, value: number) =>
        this.access('cas', variable(name, 'cas'), this.integer(expected, `t.cas(${name})`), this.integer(value, `t.cas(${name})`)),
      fence: () => void this.access('fence', -1, 0, 0),
      lock: (index?: number) => void this.access('lock', -1, lock(index, 'lock'), 0),
      unlock: (index?: number) => void this.access('unlock', -1, lock(index, 'unlock'), 0),
    };
    // Which thread it is, where a thread asks: interchangeable threads may not.
    Object.defineProperty(tools, 'thread', {
      enumerable: true,
      get: () => {
        const discovery = this.options.discovery;
        if (discovery) discovery.readsThread = true;
        else if (this.test.symmetric) throw new TestError(`${this.who(this.thread)} reads t.thread, which it did not when it ran alone: the model took its threads for interchangeable`);
        return this.thread;
      },
    });
    return tools as ThreadTools;
  }

  private functionOf(thread: number): ThreadFunction {
    const { functions } = this.mode;
    return functions.length === 1 ? functions[0]! : functions[thread - 1]!;
  }

  private integer(value: unknown, where: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && (value | 0) === value) return value;
    throw new TestError(`${this.who(this.thread)} writes ${String(value)} with ${where}: shared variables hold 32-bit integers`);
  }

  private describe(kind: Kind, variable: number, a: number, b: number, line: number | null): string {
    const name = variable >= 0 ? this.test.variables[variable]!.name : '';
    const at = line === null ? '' : ` (line ${line})`;
    switch (kind) {
      case 'read':
        return `a read of ${name}${at}`;
      case 'write':
        return `a write of ${a} to ${name}${at}`;
      case 'cas':
        return `t.cas(${name}, ${a}, ${b})${at}`;
      case 'fence':
        return `t.fence()${at}`;
      case 'lock':
      case 'unlock':
        return `t.${kind}(${a})${at}`;
      default:
        return `t.${kind}(${name}${kind === 'load' ? '' : `, ${a}`})${at}`;
    }
  }

  /**
   * A thread that went another way when run again with the same reads. Where it went: the first access
   * of this run whose prefix was seen before with another access after it; at `at` if none is known.
   */
  private diverged(thread: number, at: number): TestError {
    let chain = mix(CHAIN_SEED, this.round);
    let where = `its access ${at + 1}`;
    for (const [i, sig] of this.replayed.entries()) {
      const before = this.remembered[thread]!.get(chain);
      if (before !== undefined && before !== sig) {
        where = `its access ${i + 1}, ${this.described.get(before)!} the first time, went another way when run again`;
        break;
      }
      chain = mix(mix(chain, sig), this.words[VALUES + i]!);
    }
    const line = lineOf(new Error().stack, this.test);
    return new TestError(
      `${this.who(thread)} took another path when run again with the same reads (${where}${line === null ? '' : `; now at line ${line}`}): ` +
        'a thread must do the same with the same reads (no Math.random, no Date, no state kept between calls)',
    );
  }

  private outgrown(accesses: number): Error {
    if (accesses >= MOST_ACCESSES) {
      const line = lineOf(new Error().stack, this.test);
      return new TestError(
        `${this.who(this.thread)} made more than ${MOST_ACCESSES} shared accesses in one operation${line === null ? '' : ` (the last at line ${line})`}: ` +
          'a loop that waits for another thread (a spin on a flag) never ends where that thread does not run; wait with t.lock() instead',
      );
    }
    this.test.capacity.grow(Math.min(MOST_ACCESSES, Math.max(accesses + 1, 2 * this.options.capacity)));
    return new ProgramWidthError(VALUES + this.test.capacity.accesses);
  }

  private threw(thread: number, error: unknown): Error {
    // race-demo's own signals pass through the user's function as they were thrown.
    if (error instanceof TestError || error instanceof ProgramWidthError) return error;
    const line = error instanceof Error ? lineOf(error.stack, this.test) : null;
    return new TestError(`${this.who(thread)} threw${line === null ? '' : ` at line ${line}`}: ${oneLine(error)}`, { cause: error });
  }

  private who(thread: number): string {
    return `thread ${thread} of ${this.test.file} (mode ${this.mode.name})`;
  }

  private variablesText(): string {
    return `its shared variables are ${this.test.variables.map((variable) => variable.name).join(', ')}`;
  }
}

const CHAIN_SEED = 0x2545f491;

/** An access as a number: its kind, the variable and its operands. */
function signature(kind: Kind, variable: number, a: number, b: number): number {
  return mix(mix(mix(KIND_NUMBER[kind] * 4099 + variable, a), b), 0x9e3779b9);
}

/** FNV-style mixing of two Int32s. */
function mix(h: number, value: number): number {
  let x = Math.imul(h ^ value, 0x01000193);
  x ^= x >>> 15;
  return Math.imul(x, 0x85ebca6b) | 0;
}
