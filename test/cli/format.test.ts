import { describe, expect, it } from 'vitest';
import { formatBar, formatCount, formatDuration, formatRate, formatTable, wrapText } from '../../dist/cli/reports/format.js';

describe('formatBar', () => {
  it('fills in proportion and never draws a full bar for a total that is short', () => {
    expect(formatBar(1, 10)).toEqual({ filled: '██████████', empty: '' });
    expect(formatBar(0.5, 10)).toEqual({ filled: '█████', empty: '░░░░░' });
    expect(formatBar(0.9999, 10).empty).toBe('░');
    expect(formatBar(0, 4)).toEqual({ filled: '', empty: '░░░░' });
  });
});

describe('formatTable', () => {
  it('aligns columns without counting colour codes', () => {
    const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
    const rows = formatTable(
      ['left', 'right'],
      [
        [{ text: 'mode' }, { text: 'lost' }],
        [{ text: 'unsafe' }, { text: '12', paint: red }],
      ],
    );
    expect(rows).toEqual(['mode    lost', `unsafe  ${red('  12')}`]);
  });
});

describe('wrapText', () => {
  it('breaks at spaces within the width', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('a\u001b[31mbbbbbb\u001b[39m c', 9)).toEqual(['a\u001b[31mbbbbbb\u001b[39m c']);
  });
});

describe('units', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(0.25)).toBe('250 µs');
    expect(formatDuration(24.14)).toBe('24.1 ms');
    expect(formatDuration(2500)).toBe('2.50 s');
    expect(formatRate(16_597_510)).toBe('16.6 M');
    expect(formatRate(950)).toBe('950');
  });
});

describe('formatCount', () => {
  it('is exact, with its thousands, up to 27 digits', () => {
    expect(formatCount(235_809_301_462_142_612_780_721_600n)).toBe('235,809,301,462,142,612,780,721,600');
    expect(formatCount(10n ** 27n - 1n)).toBe('999,999,999,999,999,999,999,999,999');
  });

  it('past 27 digits, three of them and the power of ten, rounded', () => {
    expect(formatCount(10n ** 27n)).toBe('1.00 × 10^27');
    expect(formatCount(883_209_580_853n * 10n ** 63n)).toBe('8.83 × 10^74');
    expect(formatCount(8_835n * 10n ** 71n)).toBe('8.84 × 10^74');
    expect(formatCount(9_996n * 10n ** 71n)).toBe('1.00 × 10^75');
  });
});

