import type { ChalkInstance, ColorSupportLevel } from 'chalk';

export interface ColorInputs {
  /** false after --no-color. */
  readonly flag: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What the output stream supports by itself (0 when it is not a terminal). */
  readonly supported: ColorSupportLevel;
}

/**
 * --no-color wins; then FORCE_COLOR (0 or false: off; 1, 2 or 3: at least that level; empty or true:
 * at least 1; any other value is ignored, as if unset); then NO_COLOR when set and not empty (chalk 5
 * does not read it); then what the stream supports.
 */
export function colorLevel({ flag, env, supported }: ColorInputs): ColorSupportLevel {
  if (!flag) return 0;
  const forced = forcedLevel(env.FORCE_COLOR);
  if (forced !== null) return forced === 0 ? 0 : (Math.max(forced, supported) as ColorSupportLevel);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  return supported;
}

/** The level FORCE_COLOR asks for; null when it is unset or says nothing we read. */
function forcedLevel(value: string | undefined): ColorSupportLevel | null {
  if (value === undefined) return null;
  if (value === '0' || value === 'false') return 0;
  if (value === '' || value === 'true' || value === '1') return 1;
  if (value === '2' || value === '3') return Number(value) as ColorSupportLevel;
  return null;
}

let chalkModule: Promise<typeof import('chalk')> | null = null;

/**
 * Starts loading chalk (an ES module, which the CommonJS bundle imports through Node's ESM loader, about
 * 25 ms here) while a command does its work, so that the report does not wait for it afterwards.
 */
export function preloadChalk(): void {
  if (chalkModule) return;
  chalkModule = import('chalk');
  // Handled where it is awaited (createChalk); a command that fails first never awaits it.
  chalkModule.catch(() => undefined);
}

/**
 * A chalk instance at the level colorLevel decides, for one report; `supported` defaults to what chalk
 * detects for stdout. Chalk is loaded only by commands that write a report: `--help` never pays for it.
 */
export async function createChalk(inputs: Omit<ColorInputs, 'supported'> & { readonly supported?: ColorSupportLevel | undefined }): Promise<ChalkInstance> {
  preloadChalk();
  const { Chalk, supportsColor } = await chalkModule!;
  return new Chalk({ level: colorLevel({ ...inputs, supported: inputs.supported ?? (supportsColor ? supportsColor.level : 0) }) });
}
