import { Chalk, supportsColor, type ChalkInstance, type ColorSupportLevel } from 'chalk';

export interface ColorInputs {
  /** false after --no-color. */
  readonly flag: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What the output stream supports by itself (0 when it is not a terminal); default: what chalk detects for stdout. */
  readonly supported?: ColorSupportLevel | undefined;
}

/**
 * --no-color wins; then FORCE_COLOR (0 turns colour off, 1–3 force that level at least); then
 * NO_COLOR when set and not empty (chalk 5 does not read it); then what the stream supports.
 */
export function colorLevel({ flag, env, supported = supportsColor ? supportsColor.level : 0 }: ColorInputs): ColorSupportLevel {
  if (!flag) return 0;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined) {
    if (forced === '0' || forced === 'false') return 0;
    const level = forced === '2' || forced === '3' ? Number(forced) : 1;
    return Math.max(level, supported) as ColorSupportLevel;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  return supported;
}

/** A chalk instance at the level colorLevel decides, for one report. */
export function createChalk(inputs: ColorInputs): ChalkInstance {
  return new Chalk({ level: colorLevel(inputs) });
}
