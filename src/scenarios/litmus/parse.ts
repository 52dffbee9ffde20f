import { TestError } from '../../errors.js';

/**
 * herd's x86 litmus format, the subset race-demo runs (herdtools7's catalogue/x86 tests are in it):
 *
 *   X86 SB                              the architecture and the test's name
 *   "Fre PodWR Fre PodWR"               optional: a quoted line, and key=value lines (Cycle=…)
 *   { x=0; y=0; 0:EAX=0; }              start values of locations and registers (default 0)
 *    P0          | P1          ;        a column per thread, a row per instruction
 *    MOV [x],$1  | MOV [y],$1  ;
 *    MOV EAX,[y] | MOV EAX,[x] ;
 *   locations [x; y;]                   optional: more values to show
 *   exists (0:EAX=0 /\ 1:EAX=0)         exists, ~exists or forall, of /\, \/, ~, =, <>, true, false
 *
 * Instructions: MOV to and from memory, immediates ($1) and registers; MFENCE; XCHG; and the LOCK forms
 * XADD, INC, DEC, ADD, SUB, CMPXCHG. Anything else is refused with its line and what is allowed.
 */

export type Operand = { readonly kind: 'memory'; readonly location: string } | { readonly kind: 'register'; readonly name: string } | { readonly kind: 'immediate'; readonly value: number };

export interface Instruction {
  /** Upper-case: MOV, MFENCE, XCHG, XADD, INC, DEC, ADD, SUB, CMPXCHG (the last five LOCK-prefixed). */
  readonly op: string;
  readonly operands: readonly Operand[];
  /** The file's line (1-based) and the instruction as written. */
  readonly line: number;
  readonly text: string;
}

export type Proposition =
  | { readonly kind: 'true' | 'false' }
  | { readonly kind: 'atom'; readonly name: string; readonly equal: boolean; readonly value: number }
  | { readonly kind: 'not'; readonly of: Proposition }
  | { readonly kind: 'and' | 'or'; readonly left: Proposition; readonly right: Proposition };

export interface LitmusTest {
  readonly name: string;
  /** Start values: locations by name, registers as "0:EAX". */
  readonly init: ReadonlyMap<string, number>;
  /** Per thread (P0 first), its instructions in order. */
  readonly threads: readonly (readonly Instruction[])[];
  /** Names the `locations` clause adds to what an end shows. */
  readonly locations: readonly string[];
  readonly quantifier: 'exists' | '~exists' | 'forall';
  readonly proposition: Proposition;
  /** The condition as written, on one line. */
  readonly conditionText: string;
}

const REGISTER = /^[A-Z][A-Z0-9]*$/;
const LOCATION = /^[a-z_][a-z0-9_]*$/;
const SUBSET = 'MOV, MFENCE, XCHG, or LOCK XADD, INC, DEC, ADD, SUB, CMPXCHG';

/** The test in `text`; `file` names it in errors, each with its line and what the subset allows. */
export function parseLitmus(text: string, file: string): LitmusTest {
  const lines = stripComments(text).split('\n');
  const fail = (line: number, what: string) => new TestError(`${file} line ${line}: ${what}`);
  let at = 0;
  const skipBlank = () => {
    while (at < lines.length && lines[at]!.trim() === '') at++;
  };
  skipBlank();
  const header = /^(\S+)\s+(\S+)\s*$/.exec(lines[at]?.trim() ?? '');
  if (!header) throw fail(at + 1, 'expected the header: the architecture and the test\'s name, as "X86 SB"');
  if (header[1]!.toUpperCase() !== 'X86') throw fail(at + 1, `architecture ${header[1]} is outside the subset: race-demo reads X86 litmus tests`);
  const name = header[2]!;
  at++;
  // A quoted description and key=value lines, until the start values.
  while (at < lines.length && !lines[at]!.trim().startsWith('{')) {
    const line = lines[at]!.trim();
    if (line !== '' && !line.startsWith('"') && !/^[A-Za-z]\w*\s*=/.test(line)) throw fail(at + 1, `expected the start values in braces, { x=0; }; found '${line}'`);
    at++;
  }
  if (at >= lines.length) throw fail(lines.length, 'expected the start values in braces, { x=0; }');
  const { init, next } = parseInit(lines, at, fail);
  at = next;
  skipBlank();
  const threads = parseThreads(lines, at, fail);
  at = threads.next;
  skipBlank();
  let locations: string[] = [];
  const locationsLine = lines[at]?.trim() ?? '';
  if (/^locations\b/i.test(locationsLine)) {
    const list = /^locations\s*\[([^\]]*)\]\s*$/i.exec(locationsLine);
    if (!list) throw fail(at + 1, 'expected locations [x; y;]');
    locations = list[1]!.split(';').map((part) => part.trim()).filter((part) => part !== '');
    for (const location of locations) if (!LOCATION.test(location) && !/^\d+:[A-Z][A-Z0-9]*$/.test(location)) throw fail(at + 1, `locations names '${location}': expected a location (x) or a register (0:EAX)`);
    at++;
    skipBlank();
  }
  const conditionLine = at + 1;
  const conditionText = lines.slice(at).join(' ').replace(/\s+/g, ' ').trim();
  if (conditionText === '') throw fail(conditionLine, 'expected the condition: exists (…), ~exists (…) or forall (…)');
  const quantified = /^(~\s*exists|exists|forall)\b(.*)$/i.exec(conditionText);
  if (!quantified) throw fail(conditionLine, `expected the condition: exists (…), ~exists (…) or forall (…); found '${conditionText.slice(0, 40)}'`);
  const quantifier = quantified[1]!.replace(/\s+/g, '').toLowerCase() as LitmusTest['quantifier'];
  const proposition = new PropositionParser(quantified[2]!, (what) => fail(conditionLine, what)).parse();
  return { name, init, threads: threads.threads, locations, quantifier, proposition, conditionText };
}

/** The text with herd's (* … *) comments blanked out, lines kept where they were. */
function stripComments(text: string): string {
  return text.replace(/\(\*[\s\S]*?\*\)/g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/\r/g, '');
}

function parseInit(lines: readonly string[], from: number, fail: (line: number, what: string) => TestError): { init: Map<string, number>; next: number } {
  let text = '';
  let at = from;
  for (; at < lines.length; at++) {
    text += ` ${lines[at]!}`;
    if (lines[at]!.includes('}')) break;
  }
  if (at >= lines.length) throw fail(from + 1, 'the start values open a brace that never closes');
  const inside = /\{([^}]*)\}/.exec(text)![1]!;
  const init = new Map<string, number>();
  for (const entry of inside.split(';').map((part) => part.trim()).filter((part) => part !== '')) {
    const assignment = /^(?:int\s+)?(\d+:[A-Za-z][A-Za-z0-9]*|[a-z_][a-z0-9_]*)\s*=\s*(-?\d+)$/.exec(entry);
    if (!assignment) throw fail(from + 1, `start value '${entry}' is outside the subset: expected x=0 or 0:EAX=0 (a number, not an address)`);
    init.set(assignment[1]!.includes(':') ? assignment[1]!.toUpperCase() : assignment[1]!, Number(assignment[2]));
  }
  return { init, next: at + 1 };
}

function parseThreads(lines: readonly string[], from: number, fail: (line: number, what: string) => TestError): { threads: Instruction[][]; next: number } {
  const row = (at: number) =>
    lines[at]!
      .trim()
      .replace(/;\s*$/, '')
      .split('|')
      .map((cell) => cell.trim());
  const heading = row(from);
  heading.forEach((cell, i) => {
    if (cell.toUpperCase() !== `P${i}`) throw fail(from + 1, `expected the threads' heading P0 | P1 | … ;, found '${cell}' in column ${i + 1}`);
  });
  const threads: Instruction[][] = heading.map(() => []);
  let at = from + 1;
  for (; at < lines.length; at++) {
    const line = lines[at]!.trim();
    if (line === '') continue;
    if (!line.includes('|') && !line.endsWith(';')) break;
    const cells = row(at);
    if (cells.length > threads.length) throw fail(at + 1, `a row of ${cells.length} columns, where the heading names ${threads.length} threads`);
    cells.forEach((cell, i) => {
      if (cell !== '') threads[i]!.push(parseInstruction(cell, at + 1, fail));
    });
  }
  return { threads, next: at };
}

function parseInstruction(text: string, line: number, fail: (line: number, what: string) => TestError): Instruction {
  const outside = (why = '') => fail(line, `instruction '${text}' is outside the subset${why}: expected ${SUBSET}`);
  const match = /^(LOCK\s+)?([A-Za-z]+)\s*(.*)$/i.exec(text);
  if (!match) throw outside();
  const locked = match[1] !== undefined;
  const op = match[2]!.toUpperCase();
  const operands = match[3]!.trim() === '' ? [] : match[3]!.split(',').map((operand) => parseOperand(operand.trim(), () => outside(` (operand '${operand.trim()}')`)));
  const memory = operands.filter((operand) => operand.kind === 'memory').length;
  const shape = operands.map((operand) => operand.kind[0]).join('');
  const allowed: Record<string, { locked: boolean; shapes: string[] }> = {
    MOV: { locked: false, shapes: ['mi', 'mr', 'rm', 'ri', 'rr'] },
    MFENCE: { locked: false, shapes: [''] },
    XCHG: { locked: false, shapes: ['mr', 'rm'] },
    XADD: { locked: true, shapes: ['mr'] },
    INC: { locked: true, shapes: ['m'] },
    DEC: { locked: true, shapes: ['m'] },
    ADD: { locked: true, shapes: ['mi', 'mr'] },
    SUB: { locked: true, shapes: ['mi', 'mr'] },
    CMPXCHG: { locked: true, shapes: ['mr'] },
  };
  const rule = allowed[op];
  if (!rule) throw outside();
  if (memory === 0 && op !== 'MOV' && op !== 'MFENCE') throw outside(' (it computes on registers alone)');
  // XCHG with memory is locked whether or not it says so.
  if (rule.locked && !locked) throw outside(` (without LOCK, ${op} is not indivisible)`);
  if (locked && !rule.locked && op !== 'XCHG') throw outside(` (LOCK ${op})`);
  if (!rule.shapes.includes(shape) || memory > 1) throw outside(` (its operands)`);
  return { op, operands, line, text };
}

function parseOperand(text: string, outside: () => TestError): Operand {
  const memory = /^\[\s*([a-z_][a-z0-9_]*)\s*\]$/.exec(text);
  if (memory) return { kind: 'memory', location: memory[1]! };
  const immediate = /^\$(-?\d+)$/.exec(text);
  if (immediate) return { kind: 'immediate', value: Number(immediate[1]) };
  if (REGISTER.test(text.toUpperCase())) return { kind: 'register', name: text.toUpperCase() };
  throw outside();
}

/** A recursive-descent reader of a condition's proposition: or of ands of (negated) atoms. */
class PropositionParser {
  private readonly tokens: string[];
  private at = 0;

  constructor(
    text: string,
    private readonly fail: (what: string) => TestError,
  ) {
    this.tokens = text.match(/\/\\|\\\/|<>|!=|[()~=]|\d+:[A-Za-z][A-Za-z0-9]*|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_]*|-?\d+|\S/g) ?? [];
  }

  parse(): Proposition {
    const proposition = this.or();
    if (this.at < this.tokens.length) throw this.fail(`the condition has '${this.tokens[this.at]}' where it should end`);
    return proposition;
  }

  private or(): Proposition {
    let left = this.and();
    while (this.peek() === '\\/') {
      this.at++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Proposition {
    let left = this.unary();
    while (this.peek() === '/\\') {
      this.at++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Proposition {
    const token = this.next();
    if (token === '~' || token?.toLowerCase() === 'not') return { kind: 'not', of: this.unary() };
    if (token === '(') {
      const inside = this.or();
      if (this.next() !== ')') throw this.fail('the condition opens a parenthesis it does not close');
      return inside;
    }
    if (token?.toLowerCase() === 'true' || token?.toLowerCase() === 'false') return { kind: token.toLowerCase() as 'true' | 'false' };
    if (token === undefined) throw this.fail('the condition ends where it expects a value, as 0:EAX=1');
    const name = /^\[(.*)\]$/.exec(token)?.[1]?.trim() ?? token;
    if (!LOCATION.test(name) && !/^\d+:[A-Za-z][A-Za-z0-9]*$/.test(name)) throw this.fail(`the condition names '${token}': expected a register (0:EAX) or a location (x)`);
    const operator = this.next();
    if (operator !== '=' && operator !== '<>' && operator !== '!=') throw this.fail(`the condition compares ${token} with '${operator ?? 'nothing'}': expected = or <>`);
    const value = this.next();
    if (value === undefined || !/^-?\d+$/.test(value)) throw this.fail(`the condition compares ${token} with '${value ?? 'nothing'}': expected a number`);
    return { kind: 'atom', name: name.includes(':') ? name.toUpperCase() : name, equal: operator === '=', value: Number(value) };
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private next(): string | undefined {
    return this.tokens[this.at++];
  }
}

/** Whether `values` satisfy `proposition`. */
export function holds(proposition: Proposition, values: Readonly<Record<string, number>>): boolean {
  switch (proposition.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'atom':
      return (values[proposition.name] === proposition.value) === proposition.equal;
    case 'not':
      return !holds(proposition.of, values);
    case 'and':
      return holds(proposition.left, values) && holds(proposition.right, values);
    case 'or':
      return holds(proposition.left, values) || holds(proposition.right, values);
  }
}

/** The names a proposition reads. */
export function namesIn(proposition: Proposition): string[] {
  switch (proposition.kind) {
    case 'atom':
      return [proposition.name];
    case 'not':
      return namesIn(proposition.of);
    case 'and':
    case 'or':
      return [...namesIn(proposition.left), ...namesIn(proposition.right)];
    default:
      return [];
  }
}
