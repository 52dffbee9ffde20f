import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIters, parseMode, parseModes, parseScheduleOption, parseThreads } from '../../dist/cli/parse.js';
import { readCount, readSchedule, writeSchedule } from '../../dist/core/count-text.js';
import { MAX_REPLAY_STEPS } from '../../dist/index.js';

const MAX_TOTAL = 2 ** 31 - 1;

describe('readCount', () => {
  it.each([
    ['100000', 100000],
    ['100_000', 100000],
    ['1e5', 100000],
    ['1E5', 100000],
    ['1_000e3', 1000000],
    ['007', 7],
    ['0', 0],
  ])('reads %s as %d', (raw, value) => {
    expect(readCount(raw)).toBe(value);
  });

  it.each(['1.5', 'abc', '-3', '', '0x10', ' 5', '5 ', '1__0', '_1', '1_', '1e', 'e5', '+5', '1e-5', '1.0', 'Infinity', 'NaN', '５'])(
    'refuses %j',
    (raw) => {
      expect(readCount(raw)).toBeNull();
    },
  );

  it('turns numbers too large to be exact into Infinity instead of rounding them', () => {
    expect(readCount('9007199254740993')).toBe(Infinity);
    expect(readCount('1e400')).toBe(Infinity);
    expect(readCount('0e400')).toBe(0);
  });

  it('reads every safe integer written plainly, with underscores, or with an exponent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 4 }), (n, group) => {
        const plain = String(n);
        expect(readCount(plain)).toBe(n);
        const grouped = plain.replace(new RegExp(`\\B(?=(\\d{${group}})+$)`, 'g'), '_');
        expect(readCount(grouped)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 10 }), (mantissa, exponent) => {
        expect(readCount(`${mantissa}e${exponent}`)).toBe(mantissa * 10 ** exponent);
      }),
    );
  });

  it('refuses any text with a character outside digits, underscores and e', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)).filter((c) => /[^0-9_eE]/u.test(c)),
        fc.string({ unit: 'binary' }),
        (before, bad, after) => {
          expect(readCount(before + bad + after)).toBeNull();
        },
      ),
    );
  });
});

describe('parseThreads and parseIters', () => {
  it('accept the documented spellings', () => {
    expect(parseThreads('4')).toBe(4);
    expect(parseThreads('256')).toBe(256);
    expect(parseIters('100_000')).toBe(100000);
    expect(parseIters('1e5')).toBe(100000);
    expect(parseIters(String(MAX_TOTAL))).toBe(MAX_TOTAL);
  });

  it.each(['0', '257', '-3', '1.5', 'abc', '', '0x10', '1e3'])('--threads refuses %j, saying what is allowed', (raw) => {
    expect(() => parseThreads(raw)).toThrow(InvalidArgumentError);
    expect(() => parseThreads(raw)).toThrow('an integer from 1 to 256');
  });

  it.each(['0', '-3', '1.5', 'abc', '', '0x10', '2147483648', '1e10'])('--iters refuses %j', (raw) => {
    expect(() => parseIters(raw)).toThrow('an integer from 1 to 2,147,483,647');
  });

  it('every value --threads accepts is an integer from 1 to 256', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (raw) => {
        let value: number;
        try {
          value = parseThreads(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        expect(Number.isInteger(value) && value >= 1 && value <= 256).toBe(true);
      }),
    );
  });
});

describe('parseModes and parseMode', () => {
  it('read one mode, a comma list, or all (null: every mode of the scenario, known only later)', () => {
    expect(parseModes('unsafe')).toEqual(['unsafe']);
    expect(parseModes('atomic, lock')).toEqual(['atomic', 'lock']);
    expect(parseModes('all')).toBeNull();
    expect(parseMode(' cas ')).toBe('cas');
  });

  it('keep the order given and drop repeats', () => {
    expect(parseModes('lock,unsafe,lock')).toEqual(['lock', 'unsafe']);
  });

  it.each(['', 'unsafe,', 'unsafe,,lock', 'UNSAFE', 'all,unsafe', '1abc', 'a b'])('refuse %j, which is no list of mode names', (raw) => {
    expect(() => parseModes(raw)).toThrow("Allowed: the scenario's modes (see --help), a comma list of them, or all.");
  });

  it.each(['', 'all', 'unsafe,lock', 'Lock'])('parseMode refuses %j: one name', (raw) => {
    expect(() => parseMode(raw)).toThrow("Allowed: one of the scenario's modes (see --help).");
  });
});

describe('parseScheduleOption', () => {
  it('reads thread numbers, spaces allowed', () => {
    expect(parseScheduleOption('1, 2,1 ,2')).toEqual([1, 2, 1, 2]);
  });

  it('reads xN as N steps in a row', () => {
    expect(parseScheduleOption('1x3,2, 1 x 2')).toEqual([1, 1, 1, 2, 1, 1]);
  });

  it.each(['1,x', '0,1', '1,,2', '1,257', '99999999999999999999', '1x0', '1x', 'x2', '1x2x3', '1X2', '257x2'])('refuses %j, naming the range', (raw) => {
    expect(() => parseScheduleOption(raw)).toThrow('Allowed: thread numbers from 1 to 256, separated by commas');
  });

  it('reads a repeat no further than one step past the longest replay, which then refuses it by its length', () => {
    expect(parseScheduleOption('1x1e9')).toHaveLength(MAX_REPLAY_STEPS + 1);
  });
});

describe('writeSchedule', () => {
  it('writes runs of three or more as xN', () => {
    expect(writeSchedule([1, 1, 2, 2, 2, 1, 3, 3, 3, 3])).toBe('1,1,2x3,1,3x4');
    expect(writeSchedule([])).toBe('');
  });

  it('is read back as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 60 }), (schedule) => {
        expect(readSchedule(writeSchedule(schedule))).toEqual(schedule);
      }),
    );
  });
});
