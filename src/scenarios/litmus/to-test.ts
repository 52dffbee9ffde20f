import { plainTestOf } from '../plain/from-module.js';
import type { EndValues, PlainTest, ThreadFunction } from '../plain/test.js';
import { holds, namesIn, type Instruction, type LitmusTest, type Operand } from './parse.js';

/**
 * A litmus test as a test written as code: each thread a function of one statement per instruction, so
 * that the model, a replay and free-running threads all take it as they take any other. A plain MOV is a
 * plain property read or write; XCHG and the LOCK forms are Atomics; MFENCE is t.fence(). Registers
 * start at their start values (0 by default) and end as the thread's results, named as herd names them
 * ("0:EAX", threads from 0); an end shows what the condition and `locations` name.
 *
 * The functions' code carries the litmus file's URL (`//# sourceURL`), each instruction on the line it
 * has in the file, so that a stack, and so a replay's lanes, name the file's lines.
 */
export function litmusTestOf(litmus: LitmusTest, file: { readonly shown: string; readonly url: string; readonly name: string }, source: string): PlainTest {
  const named = [...new Set([...namesIn(litmus.proposition), ...litmus.locations])];
  const locations = [...new Set([...[...litmus.init.keys()].filter((name) => !name.includes(':')), ...litmus.threads.flat().flatMap(locationsOf), ...named.filter((name) => !name.includes(':'))])];
  const shared = Object.fromEntries(locations.map((location) => [location, litmus.init.get(location) ?? 0]));
  const threads = litmus.threads.map((instructions, i) => threadFunction(litmus, i, instructions, named, file.url));
  const witness = (values: EndValues) => (litmus.quantifier === 'forall' ? !holds(litmus.proposition, values) : holds(litmus.proposition, values));
  const asks =
    litmus.quantifier === 'exists'
      ? { expect: 'interesting', description: 'what the condition asks for' }
      : { expect: 'forbidden', description: litmus.quantifier === 'forall' ? 'an end the condition says never happens' : 'what ~exists says never happens' };
  const observed = [...named.filter((name) => name.includes(':')).sort(), ...named.filter((name) => !name.includes(':'))];
  const instructionLines = litmus.threads.flat().map((instruction) => instruction.line);
  return plainTestOf(
    {
      shared,
      threads,
      summary: `litmus test ${litmus.name}: ${litmus.threads.length} threads over ${locations.join(', ')}; ${litmus.conditionText}`,
      outcomes: [
        { when: witness, ...asks },
        { expect: 'allowed', description: 'any other end' },
      ],
    },
    file,
    source,
    {
      registerName: (thread, key) => `${thread - 1}:${key}`,
      observed,
      lines: instructionLines.length > 0 ? { from: Math.min(...instructionLines), to: Math.max(...instructionLines) } : null,
      question: { text: litmus.conditionText, quantifier: litmus.quantifier, witness },
    },
  );
}

function locationsOf(instruction: Instruction): string[] {
  return instruction.operands.flatMap((operand) => (operand.kind === 'memory' ? [operand.location] : []));
}

/** Thread `index` (P0 is 0) as a function: its registers at their start values, then an instruction per line. */
function threadFunction(litmus: LitmusTest, index: number, instructions: readonly Instruction[], named: readonly string[], url: string): ThreadFunction {
  const mine = (name: string) => name.startsWith(`${index}:`);
  const registers = new Set<string>([
    ...instructions.flatMap((instruction) => instruction.operands.flatMap((operand) => (operand.kind === 'register' ? [operand.name] : []))),
    ...instructions.filter((instruction) => instruction.op === 'CMPXCHG').map(() => 'EAX'),
    ...[...litmus.init.keys(), ...named].filter(mine).map((name) => name.slice(name.indexOf(':') + 1)),
  ]);
  // V8 counts a new Function's body from the third line of its code: line L of the file is body line L − 2.
  const body: string[] = [[...registers].map((register) => `r.${register} = ${litmus.init.get(`${index}:${register}`) ?? 0};`).join(' ')];
  for (const instruction of instructions) {
    while (body.length < instruction.line - 2) body.push('');
    body[instruction.line - 3] = `${body[instruction.line - 3] ?? ''} ${statementOf(instruction)}`;
  }
  body.push(`//# sourceURL=${url}`);
  // The code is ours, made from the parsed instructions alone: compiled, it runs as fast as a plain test's.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('s', 'r', 't', `'use strict';${body.join('\n')}`) as ThreadFunction;
}

/** One instruction as a statement of plain code. */
function statementOf({ op, operands }: Instruction): string {
  if (op === 'MFENCE') return 't.fence();';
  const [a, b] = operands as [Operand, Operand | undefined];
  const value = (operand: Operand) => (operand.kind === 'immediate' ? String(operand.value) : operand.kind === 'register' ? `r.${operand.name}` : `s.${operand.location}`);
  const location = (operand: Operand) => (operand.kind === 'memory' ? JSON.stringify(operand.location) : '');
  switch (op) {
    case 'MOV':
      return a.kind === 'memory' ? `s.${a.location} = ${value(b!)};` : `${value(a)} = ${value(b!)};`;
    case 'XCHG': {
      // Memory and a register, in either order.
      const [memory, register] = a.kind === 'memory' ? [a, b!] : [b!, a];
      return `${value(register)} = t.exchange(${location(memory)}, ${value(register)});`;
    }
    case 'XADD':
      return `${value(b!)} = t.add(${location(a)}, ${value(b!)});`;
    case 'INC':
      return `t.add(${location(a)}, 1);`;
    case 'DEC':
      return `t.add(${location(a)}, -1);`;
    case 'ADD':
      return `t.add(${location(a)}, ${value(b!)});`;
    case 'SUB':
      return `t.add(${location(a)}, -(${value(b!)}) | 0);`;
    default:
      // CMPXCHG [x],R: where [x] holds EAX it takes R; EAX ends with what [x] held.
      return `r.EAX = t.cas(${location(a)}, r.EAX, ${value(b!)});`;
  }
}
