import { describe, expect, it } from 'vitest';
import { colorLevel } from '../../dist/cli/color.js';

describe('colorLevel', () => {
  const terminal = 2 as const;

  it('follows what the stream supports when nothing is set', () => {
    expect(colorLevel({ flag: true, env: {}, supported: terminal })).toBe(2);
    expect(colorLevel({ flag: true, env: {}, supported: 0 })).toBe(0);
  });

  it('turns colour off for --no-color, even when FORCE_COLOR is set', () => {
    expect(colorLevel({ flag: false, env: {}, supported: terminal })).toBe(0);
    expect(colorLevel({ flag: false, env: { FORCE_COLOR: '3' }, supported: terminal })).toBe(0);
  });

  it('honours NO_COLOR when it is set and not empty', () => {
    expect(colorLevel({ flag: true, env: { NO_COLOR: '1' }, supported: terminal })).toBe(0);
    expect(colorLevel({ flag: true, env: { NO_COLOR: '' }, supported: terminal })).toBe(2);
  });

  it('lets FORCE_COLOR colour a pipe and win over NO_COLOR', () => {
    expect(colorLevel({ flag: true, env: { FORCE_COLOR: '1' }, supported: 0 })).toBe(1);
    expect(colorLevel({ flag: true, env: { FORCE_COLOR: '' }, supported: 0 })).toBe(1);
    expect(colorLevel({ flag: true, env: { FORCE_COLOR: '3' }, supported: 0 })).toBe(3);
    expect(colorLevel({ flag: true, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, supported: 0 })).toBe(1);
  });

  it('ignores a FORCE_COLOR it cannot read, as if it were unset', () => {
    for (const value of ['4', 'yes', '-1', '1.5']) {
      expect(colorLevel({ flag: true, env: { FORCE_COLOR: value }, supported: 0 })).toBe(0);
      expect(colorLevel({ flag: true, env: { FORCE_COLOR: value, NO_COLOR: '1' }, supported: terminal })).toBe(0);
      expect(colorLevel({ flag: true, env: { FORCE_COLOR: value }, supported: terminal })).toBe(2);
    }
  });

  it('reads FORCE_COLOR=0 as off', () => {
    expect(colorLevel({ flag: true, env: { FORCE_COLOR: '0' }, supported: terminal })).toBe(0);
    expect(colorLevel({ flag: true, env: { FORCE_COLOR: 'false' }, supported: terminal })).toBe(0);
  });
});
