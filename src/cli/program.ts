import type { Command as TypedCommand, Option as TypedOption } from '@commander-js/extra-typings';
import { Command as PlainCommand, Option as PlainOption } from 'commander';
import { DEFAULT_ITERS, DEFAULT_MAX_STATES, DEFAULT_SCENARIO_MAX_STATES, DEFAULT_THREADS, DEFAULT_UNTIL_RACE_TRIALS, MAX_EXPLORE_THREADS, MAX_THREADS, MAX_TRIALS } from '../engine/limits.js';
import { WIDEN_CHOICES } from '../engine/widen.js';
import { EXPECTATIONS } from '../expectation.js';
import { MODES } from '../modes.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { parseExploreThreads, parseIters, parseMaxStates, parseModes, parseScheduleOption, parseThreads, parseTimeout, parseTrials } from './parse.js';
import { formatInt } from '../text.js';
import { VERSION } from './version.js';
import { DEFAULT_SCENARIO, SCENARIO_NAMES } from '../scenario/registry.js';

// extra-typings gives the options their types at compile time; at run time its classes are commander's
// own, re-exported through one more CommonJS layer that measured about 10 ms of `--help`'s start.
const Command = PlainCommand as unknown as typeof TypedCommand;
// The lint sees two classes of one name as one type; without this the options lose their types.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
const Option = PlainOption as unknown as typeof TypedOption;

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** `--scenario`: the registry names them without loading them. */
function scenarioOption() {
  return new Option('--scenario <name>', 'what the threads share and race on (README: Scenarios)')
    .choices(SCENARIO_NAMES)
    .default(DEFAULT_SCENARIO);
}

function buildRunCommand() {
  return new Command('run')
    .description('race real worker threads on one shared counter and compare the totals')
    .addOption(
      new Option('-t, --threads <n>', `worker threads, 1 to ${MAX_THREADS}`).default(DEFAULT_THREADS).argParser(parseThreads),
    )
    .addOption(
      new Option('-n, --iters <n>', 'increments (with --scenario, operations) per thread: 100000, 100_000 or 1e5')
        .default(DEFAULT_ITERS)
        .argParser(parseIters),
    )
    .addOption(
      new Option('-m, --mode <modes>', `${MODES.join(', ')}, a comma list of them, or all`)
        .default([...MODES], 'all')
        .argParser(parseModes),
    )
    .addOption(new Option('--expect <outcome>', 'exit 1 unless every mode ended exact, or every mode lost updates').choices(EXPECTATIONS))
    .addOption(new Option('-k, --trials <k>', `run each mode k times (1 to ${formatInt(MAX_TRIALS)}) and summarise`).argParser(parseTrials))
    .option('--until-race', `stop a mode at its first trial that loses updates (--trials is then the most it tries; default ${DEFAULT_UNTIL_RACE_TRIALS})`)
    .addOption(
      new Option('--widen <when>', 'sleep briefly between each read and its write so the race shows at any size: auto widens only when expecting a race and the plain race did not show')
        .choices(WIDEN_CHOICES)
        .default('auto' as const),
    )
    .addOption(new Option('--timeout <ms>', 'the most one run of the workers (one mode, one trial) may take, in ms; default: 10 s + 100 ms per thread + 2 µs per increment (+ 2 ms per increment when widened)').argParser(parseTimeout))
    .option('--no-evidence', 'do not record the lost updates the unsafe threads see (recording slows the unsafe loop)')
    .option('--stats', 'per-thread statistics: increments, finish times, lock acquisitions, sleeps, cas retries, fairness (always in --json)')
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('--no-barrier', 'start each worker as soon as it is up instead of releasing all together')
    .addOption(scenarioOption())
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

function buildReplayCommand() {
  return new Command('replay')
    .description('replay one interleaving step by step on real threads, through a turnstile: the same trace every run')
    .addOption(new Option('-t, --threads <n>', `worker threads, 1 to ${MAX_THREADS}`).default(2).argParser(parseThreads))
    .addOption(new Option('-n, --iters <n>', 'increments per thread').default(1).argParser(parseIters))
    .addOption(new Option('-m, --mode <mode>', 'how each thread increments').choices(MODES).default('unsafe' as const))
    .addOption(
      new Option(
        '-s, --schedule <threads>',
        'which thread takes each step, in order, comma-separated (unsafe: read and write are two steps; atomic: one; lock: acquire, read, write, release); default: each thread in turn',
      ).argParser(parseScheduleOption),
    )
    .addOption(new Option('--timeout <ms>', 'the most the replay may take, in ms; default: 10 s + 10 ms per step').argParser(parseTimeout))
    .addOption(scenarioOption())
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

function buildExploreCommand() {
  return new Command('explore')
    .description('count every interleaving of the threads\' steps exactly, grouped by final total')
    .addOption(new Option('-t, --threads <n>', `threads, 1 to ${MAX_EXPLORE_THREADS}`).default(2).argParser(parseExploreThreads))
    .addOption(new Option('-n, --iters <n>', 'increments per thread').default(2).argParser(parseIters))
    .addOption(new Option('-m, --mode <mode>', 'how each thread increments').choices(MODES).default('unsafe' as const))
    .addOption(
      new Option(
        '--max-states <n>',
        `refuse sizes that would visit more states than this (default: ${formatInt(DEFAULT_MAX_STATES)}; ${formatInt(DEFAULT_SCENARIO_MAX_STATES)} with another --scenario)`,
      ).argParser(parseMaxStates),
    )
    .option('--replay', 'run the schedule that reaches the smallest total on real threads, through replay')
    .addOption(scenarioOption())
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

export type RunCommandOptions = ReturnType<ReturnType<typeof buildRunCommand>['opts']>;
export type ReplayCommandOptions = ReturnType<ReturnType<typeof buildReplayCommand>['opts']>;
export type ExploreCommandOptions = ReturnType<ReturnType<typeof buildExploreCommand>['opts']>;

export interface CommandHandlers {
  run(options: RunCommandOptions): Promise<void>;
  replay(options: ReplayCommandOptions): Promise<void>;
  explore(options: ExploreCommandOptions): Promise<void>;
}

/** The whole command line, defined apart from running it: errors surface as CommanderError, not exits. */
export function createProgram(io: { stdout: Output; stderr: Output }, handlers: CommandHandlers) {
  const program = new Command('race-demo')
    .description('Show a race condition on real threads: a lost update on a shared counter, and the fixes beside it.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander puts "(Did you mean …?)" on a second line; an error stays one line here.
      outputError: (text, write) => write(`race-demo: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    })
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_CODES_HELP);

  const run = buildRunCommand()
    .copyInheritedSettings(program)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => handlers.run(options));
  program.addCommand(run);

  const replay = buildReplayCommand()
    .copyInheritedSettings(program)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => handlers.replay(options));
  program.addCommand(replay);

  const explore = buildExploreCommand()
    .copyInheritedSettings(program)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options) => handlers.explore(options));
  program.addCommand(explore);
  return program;
}
