import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exploreInterleavings, TestError } from '../../dist/index.js';
import { parseLitmus } from '../../dist/scenarios/litmus/parse.js';

// The classic x86 litmus tests in docs/examples/litmus, written from their definitions: under x86-TSO each
// gets the verdict the public herdtools7 catalogue gives (catalogue/x86/tests, judged by its x86tso.cat);
// WRC and IRIW, which that folder lacks, the verdict of the x86-TSO papers (Owens, Sarkar and Sewell,
// TPHOLs 2009; Sewell et al., CACM 2010): x86 is multi-copy atomic, so both are forbidden. Each condition
// is an `exists` of an end no interleaving reaches, so sequential consistency forbids every one.

const FOLDER = fileURLToPath(new URL('../../docs/examples/litmus/', import.meta.url));

const TSO: Readonly<Record<string, 'allowed' | 'forbidden'>> = {
  SB: 'allowed',
  'SB+mfences': 'forbidden',
  'SB+mfence+po': 'allowed',
  'SB+rfi-pos': 'allowed',
  'SB+xchgs': 'forbidden',
  MP: 'forbidden',
  'MP+mfences': 'forbidden',
  LB: 'forbidden',
  '2+2W': 'forbidden',
  R: 'allowed',
  'R+mfences': 'forbidden',
  S: 'forbidden',
  WRC: 'forbidden',
  IRIW: 'forbidden',
  'INC+locks': 'forbidden',
};

const files = readdirSync(FOLDER).filter((name) => name.endsWith('.litmus'));

describe('the litmus folder', () => {
  it('holds every test the issue names, and a verdict for each file', () => {
    expect(files.map((name) => name.replace(/\.litmus$/, '')).sort()).toEqual(Object.keys(TSO).sort());
  });

  it.each(files)('%s: forbidden under sc; under tso, the catalogue\'s verdict', async (name) => {
    const test = name.replace(/\.litmus$/, '');
    const sc = await exploreInterleavings({ scenario: `${FOLDER}${name}`, memoryModel: 'sc' });
    const tso = await exploreInterleavings({ scenario: `${FOLDER}${name}`, memoryModel: 'tso' });
    expect(sc.verdict).toBe('forbidden');
    expect(tso.verdict).toBe(TSO[test]);
    // Every end sc reaches, tso reaches too: store buffers only add executions.
    const key = (values: object) => JSON.stringify(values);
    const tsoEnds = new Set(tso.outcomes.map((end) => key(end.values!)));
    for (const end of sc.outcomes) expect(tsoEnds.has(key(end.values!))).toBe(true);
  });
});

describe('reading a litmus file', () => {
  const read = (text: string) => () => parseLitmus(text, './t.litmus');

  it('reads the threads in columns, the start values, locations and the condition', () => {
    const test = parseLitmus(
      'X86 T\n"a comment"\nCycle=Fre PodWR\n{ x=1; 0:EBX=2; }\n P0           | P1          ;\n MOV [x],$1   | MOV EAX,[x] ;\n LOCK XADD [y],EBX |      ;\nlocations [y;]\n~exists (1:EAX=0 \\/ ~(x=1))\n',
      './t.litmus',
    );
    expect(test.name).toBe('T');
    expect([...test.init]).toEqual([['x', 1], ['0:EBX', 2]]);
    expect(test.threads.map((thread) => thread.map((instruction) => `${instruction.op}@${instruction.line}`))).toEqual([['MOV@6', 'XADD@7'], ['MOV@6']]);
    expect(test.locations).toEqual(['y']);
    expect(test.quantifier).toBe('~exists');
    expect(test.proposition).toEqual({
      kind: 'or',
      left: { kind: 'atom', name: '1:EAX', equal: true, value: 0 },
      right: { kind: 'not', of: { kind: 'atom', name: 'x', equal: true, value: 1 } },
    });
  });

  it.each([
    ['ARM T\n{ }\n P0 ;\nexists (x=1)\n', 'line 1: architecture ARM is outside the subset'],
    ['X86 T\n{ x=y; }\n P0 ;\nexists (x=1)\n', "line 2: start value 'x=y' is outside the subset"],
    ['X86 T\n{ }\n P0 | P1 ;\n ADD EAX,$1 | MOV [x],$1 ;\nexists (x=1)\n', "line 4: instruction 'ADD EAX,$1' is outside the subset (it computes on registers alone)"],
    ['X86 T\n{ }\n P0 ;\n XADD [x],EAX ;\nexists (x=1)\n', "line 4: instruction 'XADD [x],EAX' is outside the subset (without LOCK, XADD is not indivisible)"],
    ['X86 T\n{ }\n P0 ;\n JMP L0 ;\nexists (x=1)\n', "line 4: instruction 'JMP L0' is outside the subset: expected MOV, MFENCE, XCHG"],
    ['X86 T\n{ }\n P0 ;\n MOV [x],$1 ;\nexists (x>1)\n', "line 5: the condition compares x with '>': expected = or <>"],
    ['X86 T\n{ }\n P0 ;\n MOV [x],$1 ;\nfilter (x=1)\n', 'line 5: expected the condition: exists (…), ~exists (…) or forall (…)'],
    ['X86 T\n{ }\n P0 ;\n MOV [x],$1 ;\nexists (x=1 /\\ (y=2)\n', 'line 5: the condition opens a parenthesis it does not close'],
  ])('refuses what is outside the subset, naming the line: %j', (text, message) => {
    expect(read(text)).toThrow(TestError);
    expect(read(text)).toThrow(`./t.litmus ${message}`);
  });
});
