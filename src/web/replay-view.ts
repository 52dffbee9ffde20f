import { readSchedule, SCHEDULE_ALLOWED } from '../core/count-text.js';
import { defaultSchedule, modelTrace } from '../core/schedule.js';
import { UsageError } from '../errors.js';
import type { ReplayReport } from '../replay/replay.js';
import { ReplaySession } from '../replay/session.js';
import type { Choice } from './controls.js';
import { h, show } from './dom.js';
import { oneAtATime } from './one-at-a-time.js';
import { codeBlock, lanesTable } from './lanes.js';

/** How long Play waits between steps. */
const PLAY_MS = 600;

/**
 * Replay: one schedule (the CLI's --schedule syntax, or each thread in turn) on real Web Workers
 * through the turnstile, a step at a time: Step, Back (fresh workers take the steps before again), Play.
 */
export function replayView(choice: () => Choice): { element: HTMLElement; load(schedule: readonly number[] | null): Promise<void> } {
  const box = h('input', { id: 'schedule', type: 'text', placeholder: 'each thread in turn, or e.g. 1,2,1,2', size: 36 });
  const out = h('div', { class: 'out' });
  let session: ReplaySession | null = null;
  let schedule: readonly number[] = [];
  let next = 0;
  let report: ReplayReport | null = null;
  let playing = false;

  const render = (message = '') => {
    if (!session) return show(out, message ? h('p', { class: 'error' }, message) : null);
    const pending = next < schedule.length ? new Map([[schedule[next]!, session.nextLine(schedule[next]!) ?? 0]]) : new Map<number, number>();
    show(
      out,
      h('p', { id: 'replay-status' }, next < schedule.length ? `Step ${next + 1} of ${schedule.length} is thread ${schedule[next]}'s.` : 'Every step of the schedule is taken.'),
      codeBlock(session.scenario, session.mode, pending),
      lanesTable(session.scenario, session.mode, session.size.threads, session.steps),
      report ? h('div', { id: 'replay-outcome', class: report.ok ? 'ok' : 'bad' }, report.summary.map((line) => h('p', {}, line))) : null,
      message ? h('p', { class: 'error' }, message) : null,
    );
  };

  const guarded = oneAtATime(render);

  const load = (given: readonly number[] | null) =>
    guarded(async () => {
      playing = false;
      await session?.close();
      session = null;
      report = null;
      const { scenario, threads, iters, mode } = choice();
      const size = { threads, iters };
      const asked = given ?? parseSchedule(box.value);
      schedule = modelTrace(scenario, mode, size, asked ?? defaultSchedule(scenario, mode, size)).schedule;
      box.value = schedule.join(',');
      next = 0;
      session = await ReplaySession.open({ scenario: choice().ref, threads, iters, mode });
    });
  const step = () =>
    guarded(async () => {
      if (!session || next >= schedule.length) return;
      await session.take(schedule[next]!);
      next++;
      if (next === schedule.length) report = await session.finish();
    });
  const back = () =>
    guarded(async () => {
      if (!session || next === 0) return;
      report = null;
      await session.back();
      next--;
    });
  const play = async () => {
    playing = !playing;
    while (playing && session && next < schedule.length) {
      await step();
      await new Promise((resolve) => setTimeout(resolve, PLAY_MS));
    }
    playing = false;
  };

  const element = h(
    'section',
    { id: 'replay-view' },
    h('p', {}, 'One interleaving, each step released to its real thread by a turnstile: the same trace on every run.'),
    h('div', { class: 'buttons' }, h('label', {}, 'schedule ', box), h('button', { id: 'replay-load', onclick: () => void load(null) }, 'Load'), h('button', { id: 'replay-step', onclick: () => void step() }, 'Step'), h('button', { id: 'replay-back', onclick: () => void back() }, 'Back'), h('button', { id: 'replay-play', onclick: () => void play() }, 'Play / pause')),
    out,
  );
  return { element, load };
}

/** The box, read as the CLI reads --schedule; empty: null (each thread in turn). What else is wrong is the model's to say. */
function parseSchedule(text: string): number[] | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const schedule = readSchedule(trimmed);
  if (schedule === null) throw new UsageError(`{schedule} '${trimmed}' is invalid: expected ${SCHEDULE_ALLOWED}`);
  return schedule;
}
