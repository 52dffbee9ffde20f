import type { Platform } from './platform.js';

// Which platform the engines use: the one a page installed, else Node's, loaded only when first asked
// for (so that a page never loads it, and the CLI loads worker_threads only when a command needs it).

let installed: Platform | null = null;

/** Makes `platform` the one every engine uses from now on (a browser page does, first). */
export function usePlatform(platform: Platform): void {
  installed = platform;
}

/** The platform in use: the one installed, else Node's, loaded when first asked for. */
export async function currentPlatform(): Promise<Platform> {
  installed ??= (await import('./node-platform.js')).nodePlatform;
  return installed;
}
