import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

// Tests written as plain code and litmus files, through the built CLI as a user runs them.

const DEBUG = { RACE_DEMO_DEBUG: '1' };

describe('a test file that cannot be run as written: exit 2, one line naming the file, the line and what is allowed, no worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'race-demo-tests-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  write('syntax.mjs', 'export const shared = { x: 0 };\nexport const threads = [(s) => { s.x = 1 ], ];\n');
  write('nothing.mjs', 'export const shared = { x: 0 };\n');
  write('no-judge.mjs', 'export const shared = { x: 0 };\nexport const threads = [(s) => { s.x = 1; }];\n');
  write('throws.mjs', "export const shared = { x: 0 };\nexport const threads = [\n  (s) => { s.x = 1; throw new Error('boom'); },\n];\nexport const outcomes = [{ expect: 'allowed' }];\n");
  // Run again, a thread that keeps a count between calls writes another value; one that writes a random one
  // almost surely does (a billion to one). Only an access a later step runs again can show it, so it is the first.
  write('hidden-state.mjs', "export const shared = { x: 0, y: 0 };\nlet calls = 0;\nexport const threads = [\n  (s) => { s.x = ++calls; s.y = 1; },\n];\nexport const outcomes = [{ expect: 'allowed' }];\n");
  write('random.mjs', "export const shared = { x: 0, y: 0 };\nexport const threads = [\n  (s) => { s.x = Math.floor(Math.random() * 1e9); s.y = 1; },\n];\nexport const outcomes = [{ expect: 'allowed' }];\n");
  write('no-register.mjs', "export const shared = { x: 0 };\nexport const threads = [(s, r) => { r.r1 = s.x; }, (s) => { s.x = 1; }];\nexport const outcomes = [\n  { when: { r2: 0 }, expect: 'forbidden' },\n];\n");
  write('bad-variable.mjs', "export const shared = { x: 0 };\nexport const threads = [(s) => {\n  s.y = 1;\n}];\nexport const outcomes = [{ expect: 'allowed' }];\n");
  write('spin.mjs', "export const shared = { flag: 0 };\nexport const threads = [(s) => { while (s.flag === 0); }, (s) => { s.flag = 1; }];\nexport const outcomes = [{ expect: 'allowed' }];\n");
  write('instruction.litmus', 'X86 T\n{ x=0; }\n P0         | P1         ;\n MOV [x],$1 | ADD EAX,$1 ;\nexists (x=1)\n');
  write('condition.litmus', 'X86 T\n{ x=0; }\n P0         | P1          ;\n MOV [x],$1 | MOV EAX,[x] ;\nexists (1:EAX>0)\n');

  it.each([
    ['syntax.mjs', "--scenario './syntax.mjs' failed to load at line 2: SyntaxError: Unexpected token ']' (expected an ES module that loads)"],
    ['nothing.mjs', './nothing.mjs: exports no threads: expected threads (an array of functions, one per thread), thread (one function for every thread) or modes'],
    ['no-judge.mjs', './no-judge.mjs: exports neither outcomes nor an invariant: expected outcomes (an array of { when, expect, description })'],
    ['throws.mjs', 'thread 1 of ./throws.mjs (mode test) threw at line 3: boom'],
    ['hidden-state.mjs', 'thread 1 of ./hidden-state.mjs (mode test) took another path when run again with the same reads (its access 1, a write of 1 to x the first time, went another way when run again; now at line 4): a thread must do the same with the same reads (no Math.random, no Date, no state kept between calls)'],
    ['random.mjs', 'thread 1 of ./random.mjs (mode test) took another path when run again with the same reads (its access 1, a write of'],
    ['no-register.mjs', "./no-register.mjs: outcome 1 (line 4) names r2, which is no register or shared variable: its registers are r1; its shared variables x"],
    ['bad-variable.mjs', 'thread 1 of ./bad-variable.mjs (mode test) writes s.y, which is not a shared variable: its shared variables are x'],
    ['spin.mjs', 'thread 1 of ./spin.mjs (mode test) made more than 4096 shared accesses in one operation (the last at line 2): a loop that waits for another thread'],
    ['instruction.litmus', "./instruction.litmus line 4: instruction 'ADD EAX,$1' is outside the subset (it computes on registers alone): expected MOV, MFENCE, XCHG, or LOCK XADD, INC, DEC, ADD, SUB, CMPXCHG"],
    ['condition.litmus', "./condition.litmus line 5: the condition compares 1:EAX with '>': expected = or <>"],
  ])('%s', async (file, message) => {
    for (const command of ['run', 'replay', 'explore']) {
      const { exitCode, stdout, stderr } = await runCli([command, '--scenario', `./${file}`], { cwd: dir, env: DEBUG });
      expect(exitCode).toBe(2);
      expect(stdout).toBe('');
      expect(lines(stderr)).toEqual([expect.stringContaining(`race-demo: error: ${message}`)]);
      expect(stderr).not.toContain('spawned');
    }
  });
});

describe('explore of a litmus file', () => {
  it('--json gives each model\'s verdict, every end with its values and count, and a schedule to each', async () => {
    const { exitCode, stdout } = await runCli(['explore', '--scenario', '../../docs/examples/litmus/SB.litmus', '--json'], { cwd: new URL('.', import.meta.url).pathname });
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as {
      verdicts: Record<string, string>;
      memoryModel: string;
      interleavings: string;
      outcomes: { values: Record<string, number>; count: string; expect: string; witness: number[] }[];
      storeBuffers: { memoryModel: string; interleavings: string; outcomes: { values: Record<string, number>; count: string }[] };
    };
    expect(report.verdicts).toEqual({ sc: 'forbidden', tso: 'allowed' });
    expect([report.memoryModel, report.interleavings, report.storeBuffers.memoryModel, report.storeBuffers.interleavings]).toEqual(['sc', '6', 'tso', '80']);
    expect(report.outcomes.map((end) => [end.values, end.count, end.expect])).toEqual([
      [{ '0:EAX': 0, '1:EAX': 1 }, '1', 'allowed'],
      [{ '0:EAX': 1, '1:EAX': 1 }, '4', 'allowed'],
      [{ '0:EAX': 1, '1:EAX': 0 }, '1', 'allowed'],
    ]);
    expect(report.storeBuffers.outcomes.find((end) => end.values['0:EAX'] === 0 && end.values['1:EAX'] === 0)!.count).toBe('18');
  });

  it('--memory-model sc alone, and its old spellings', async () => {
    const sc = JSON.parse((await runCli(['explore', '--scenario', 'reorder', '-n', '1', '--memory-model', 'sc', '--json'])).stdout) as { storeBuffers: unknown; memoryModel: string };
    expect([sc.memoryModel, sc.storeBuffers]).toEqual(['sc', null]);
    const alias = JSON.parse((await runCli(['explore', '--scenario', 'reorder', '-n', '1', '--no-store-buffers', '--json'])).stdout) as { storeBuffers: unknown };
    expect(alias.storeBuffers).toBeNull();
    const both = JSON.parse((await runCli(['explore', '-n', '1', '--store-buffers', '--json'])).stdout) as { storeBuffers: { memoryModel: string } };
    expect(both.storeBuffers.memoryModel).toBe('tso');
    const conflict = await runCli(['explore', '--memory-model', 'tso', '--no-store-buffers']);
    expect(conflict.exitCode).toBe(2);
    expect(lines(conflict.stderr)).toEqual(['race-demo: error: --store-buffers is --memory-model sc, and --memory-model tso says otherwise: give one of them']);
  });
});

describe('replay and run of a plain file', () => {
  const SB = new URL('../../docs/examples/store-buffering.mjs', import.meta.url).pathname;

  it("replay shows the mode's functions and, in lanes, each access on its line", async () => {
    const { exitCode, stdout } = await runCli(['replay', '--scenario', SB, '--schedule', '1,2,1,2']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('unsafe: each thread runs, for each round:\n    8      (s, r) => { s.x = 1; r.r1 = s.y; },\n    9      (s, r) => { s.y = 1; r.r2 = s.x; },');
    expect(stdout).toMatch(/\n\s+1 {2}8 write x → 1\s+x 1, y 0\n/);
    expect(stdout).toMatch(/\n\s+4\s+9 read x → 1\s+x 1, y 1\n/);
    expect(stdout).toContain("The round ended with r1=1 r2=1: allowed (one thread saw the other's write).");
  });

  it('run tallies the rounds by their ends, with each model\'s verdict beside them', async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', SB, '-n', '20000', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { results: { mode: string; ends: { values: Record<string, number>; rounds: number; perMillion: number; wilson95: { low: number; high: number } }[]; models: { model: string }[] }[] };
    for (const result of report.results) {
      expect(result.ends.reduce((sum, end) => sum + end.rounds, 0)).toBe(20_000);
      expect(result.models.map((m) => m.model)).toEqual(['sc', 'tso']);
      for (const end of result.ends) expect(end.wilson95.low).toBeLessThanOrEqual(end.perMillion / 1e6);
    }
  });
});
