/**
 * What the bundle gives commander in place of node:child_process, which it loads only to run
 * executable subcommands: race-demo has none, and loading child_process (with net and dgram) cost
 * about 4 ms of every start. Used through the bundle's alias (package.json, "bundle").
 */
export function spawn(): never {
  throw new Error('race-demo has no executable subcommands');
}

export default { spawn };
