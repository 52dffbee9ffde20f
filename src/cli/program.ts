import type { Command as TypedCommand, Option as TypedOption } from '@commander-js/extra-typings';
import { Command as PlainCommand, Option as PlainOption } from 'commander';
import { DEFAULT_ITERS, DEFAULT_MAX_STATES, DEFAULT_THREADS, DEFAULT_UNTIL_RACE_TRIALS, MAX_THREADS, MAX_TRIALS } from '../core/limits.js';
import { modeNames } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { MEMORY_MODEL_CHOICES } from '../core/memory/models.js';
import { EXPECTATIONS } from '../run/verdict.js';
import { WIDEN_CHOICES } from '../run/widen.js';
import { DEFAULT_SCENARIO, SCENARIOS, SCENARIO_NAMES } from '../scenarios/registry.js';
import { HELP_FOOTER } from './exit-codes.js';
import { parseDelay, parseIters, parsePort, parseMaxStates, parseMode, parseModes, parseScheduleOption, parseThreads, parseTimeout, parseTrials } from './parse.js';
import { VERSION } from './version.js';

// extra-typings gives the options their types at compile time; at run time its classes are commander's
// own, re-exported through one more CommonJS layer that measured about 10 ms of `--help`'s start.
const Command = PlainCommand as unknown as typeof TypedCommand;
// The lint sees two classes of one name as one type; without this the options lose their types.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
const Option = PlainOption as unknown as typeof TypedOption;

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

// The help speaks of every built-in scenario from what each says of itself, never by name.
const BUILT_IN = SCENARIO_NAMES.map((name) => SCENARIOS[name]!);
/** Each scenario's modes: "counter: unsafe, atomic, lock, spin, cas; list: …". */
const MODES_HELP = BUILT_IN.map((scenario) => `${scenario.name}: ${modeNames(scenario).join(', ')}`).join('; ');
/** What an operation is, scenario by scenario: "increments, appends, …". */
const OPERATIONS_HELP = [...new Set(BUILT_IN.map((scenario) => `${scenario.operation}s`))].join(', ');
/** The scenarios with a thread count of their own: "reorder's 2". */
const OWN_THREADS_HELP = BUILT_IN.flatMap((scenario) => (scenario.defaults?.threads ? [`${scenario.name}'s ${scenario.defaults.threads}`] : [])).join(', ');
/** The scenarios about store buffers, which explore counts under them too by default. */
const STORE_BUFFER_SCENARIOS = BUILT_IN.filter((scenario) => scenario.storeBuffers).map((scenario) => scenario.name);

function scenarioOption() {
  return new Option('--scenario <name>', `what the threads share and race on: ${SCENARIO_NAMES.join(', ')}, or a module's path (docs/scenarios.md)`).default(
    DEFAULT_SCENARIO,
  );
}

function timeoutOption(what: string) {
  return new Option('--timeout <ms>', `the most ${what} may take, in ms (default: scaled to the work; docs/troubleshooting.md)`).argParser(parseTimeout);
}

function buildRunCommand() {
  return new Command('run')
    .description("race real worker threads on one scenario's shared memory, every mode side by side")
    .addOption(scenarioOption())
    .addOption(new Option('-t, --threads <n>', `worker threads, 1 to ${MAX_THREADS} (default: ${DEFAULT_THREADS}, or the scenario's own${OWN_THREADS_HELP ? `: ${OWN_THREADS_HELP}` : ''})`).argParser(parseThreads))
    .addOption(
      new Option('-n, --iters <n>', `operations per thread (${OPERATIONS_HELP}): 100000, 100_000 or 1e5 (default: ${formatInt(DEFAULT_ITERS)}, or the scenario's own)`).argParser(
        parseIters,
      ),
    )
    .addOption(new Option('-m, --mode <modes>', `the scenario's modes, a comma list of them, or all (${MODES_HELP})`).default(null, 'all').argParser(parseModes))
    .addOption(new Option('--expect <outcome>', 'exit 1 unless every mode kept the invariant (correct), or every mode broke it (race)').choices(EXPECTATIONS))
    .addOption(new Option('-k, --trials <k>', `run each mode k times (1 to ${formatInt(MAX_TRIALS)}) and summarise`).argParser(parseTrials))
    .option('--until-race', `stop a mode at its first trial that breaks the invariant (--trials is then the most it tries; default ${DEFAULT_UNTIL_RACE_TRIALS})`)
    .option('--fresh-workers', "start fresh workers for every trial instead of keeping a mode's crew: about 70 ms a trial slower, but the plain race shows as often as in a new process")
    .addOption(
      new Option('--widen <when>', 'sleep briefly between a read and the write computed from it, so the race shows at any size: auto widens only when expecting a race and the plain race did not show')
        .choices(WIDEN_CHOICES)
        .default('auto' as const),
    )
    .addOption(timeoutOption('one run of the workers (one mode, one trial)'))
    .option('--no-evidence', 'do not have the threads record the race as they see it (recording slows a racing loop)')
    .option('--stats', 'per-thread statistics: operations, finish times, lock acquisitions, sleeps, retries, fairness (always in --json)')
    .option('--explain', 'the long explanations too: what the threads caught in the act, and why each mode ends as it does')
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('--junit <file>', 'also write the results as JUnit XML to <file>, a test case per mode (docs/ci.md)')
    .option('--no-barrier', 'start each worker as soon as it is up instead of releasing all together')
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

function buildReplayCommand() {
  return new Command('replay')
    .description('replay one interleaving step by step on real threads, through a turnstile: the same trace every run')
    .addOption(scenarioOption())
    .addOption(new Option('-t, --threads <n>', `worker threads, 1 to ${MAX_THREADS} (default: 2, or the test's own)`).argParser(parseThreads))
    .addOption(new Option('-n, --iters <n>', 'operations per thread (default: 1)').argParser(parseIters))
    .addOption(new Option('-m, --mode <mode>', "one of the scenario's modes (default: its race, the first)").argParser(parseMode))
    .addOption(
      new Option(
        '-s, --schedule <threads>',
        "which thread takes each step, in order, comma-separated, 1x3 for 1,1,1 (a step is one line of the mode's code, as replay shows it); default: each thread in turn",
      ).argParser(parseScheduleOption),
    )
    .addOption(timeoutOption('the replay'))
    .option('--step', 'on a terminal: wait for a key before each step (space or Enter: next, b: back, q: quit); elsewhere, and with --json, run straight through')
    .addOption(new Option('--delay <ms>', 'on a terminal: pause this long before each step, for projecting (0 to 60000)').argParser(parseDelay))
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

function buildExploreCommand() {
  return new Command('explore')
    .description("count every interleaving of the threads' steps exactly, grouped by how each ends")
    .addOption(scenarioOption())
    .addOption(new Option('-t, --threads <n>', `threads, 1 to ${MAX_THREADS} (default: 2, or the test's own; how many the model can count depends on the states: see --max-states)`).argParser(parseThreads))
    .addOption(new Option('-n, --iters <n>', "operations per thread (default: 2; a test with outcomes: its one round)").argParser(parseIters))
    .addOption(new Option('-m, --mode <mode>', "one of the scenario's modes (default: its race, the first)").argParser(parseMode))
    .addOption(new Option('--max-states <n>', `refuse sizes that would visit more states than this (default: ${formatInt(DEFAULT_MAX_STATES)}, or what memory allows)`).argParser(parseMaxStates))
    .option('--replay', 'run the schedule that reaches the smallest end on real threads, through replay')
    .addOption(
      new Option(
        '--memory-model <model>',
        `sc: every interleaving of the steps; tso: x86's store buffers too (each thread's plain stores wait in a buffer, a flush is a move of its own); both, side by side (default: sc, or both for a test of memory order${STORE_BUFFER_SCENARIOS.length > 0 ? `: ${STORE_BUFFER_SCENARIOS.join(', ')}, a litmus file, a test with outcomes` : ''})`,
      ).choices(MEMORY_MODEL_CHOICES),
    )
    .option('--store-buffers', 'the same as --memory-model both')
    .option('--no-store-buffers', 'the same as --memory-model sc')
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

function buildPlayCommand() {
  return new Command('play')
    .description('you are the scheduler: press a thread\'s number to move it one step on its real thread, and reach the goal')
    .addOption(scenarioOption())
    .addOption(new Option('-t, --threads <n>', "threads, 1 to 9 (a thread is one key; default: 2, or the test's own)").argParser(parseThreads))
    .addOption(new Option('-n, --iters <n>', 'operations per thread (default: 1)').argParser(parseIters))
    .addOption(new Option('-m, --mode <mode>', "one of the scenario's modes (default: its race, the first)").argParser(parseMode))
    .option('--no-color', 'plain text, no colour (NO_COLOR and FORCE_COLOR=0..3 are honoured too)');
}

function buildServeCommand() {
  return new Command('serve')
    .description('serve the page (the same scenarios on Web Workers in a browser) on localhost, cross-origin isolated')
    .addOption(new Option('-p, --port <n>', 'the port, 1 to 65535, or 0 for any free one').default(8080).argParser(parsePort))
    .option('--open', 'open the page in the default browser too');
}

export type RunCommandOptions = ReturnType<ReturnType<typeof buildRunCommand>['opts']>;
export type ReplayCommandOptions = ReturnType<ReturnType<typeof buildReplayCommand>['opts']>;
export type ExploreCommandOptions = ReturnType<ReturnType<typeof buildExploreCommand>['opts']>;
export type PlayCommandOptions = ReturnType<ReturnType<typeof buildPlayCommand>['opts']>;
export type ServeCommandOptions = ReturnType<ReturnType<typeof buildServeCommand>['opts']>;

export interface CommandHandlers {
  run(options: RunCommandOptions): Promise<void>;
  replay(options: ReplayCommandOptions): Promise<void>;
  explore(options: ExploreCommandOptions): Promise<void>;
  play(options: PlayCommandOptions): Promise<void>;
  serve(options: ServeCommandOptions): Promise<void>;
}

/** The whole command line, defined apart from running it: errors surface as CommanderError, not exits. */
export function createProgram(io: { stdout: Output; stderr: Output }, handlers: CommandHandlers) {
  const program = new Command('race-demo')
    .description('Show a race condition on real threads: a lost update, the fixes beside it, every interleaving counted.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander puts "(Did you mean …?)" on a second line; an error stays one line here.
      outputError: (text, write) => write(`race-demo: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    })
    .showSuggestionAfterError(true)
    .addHelpText('after', HELP_FOOTER);

  program.addCommand(buildRunCommand().copyInheritedSettings(program).addHelpText('after', HELP_FOOTER).action(async (options) => handlers.run(options)));
  program.addCommand(buildReplayCommand().copyInheritedSettings(program).addHelpText('after', HELP_FOOTER).action(async (options) => handlers.replay(options)));
  program.addCommand(buildExploreCommand().copyInheritedSettings(program).addHelpText('after', HELP_FOOTER).action(async (options) => handlers.explore(options)));
  program.addCommand(buildPlayCommand().copyInheritedSettings(program).addHelpText('after', HELP_FOOTER).action(async (options) => handlers.play(options)));
  program.addCommand(buildServeCommand().copyInheritedSettings(program).addHelpText('after', HELP_FOOTER).action(async (options) => handlers.serve(options)));
  return program;
}
