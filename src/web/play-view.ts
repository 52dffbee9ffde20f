import { playGoalOf } from '../core/goal.js';
import type { PlayGoal } from '../core/scenario.js';
import { unreachableGoalNote } from '../explore/goal-reach.js';
import { ReplaySession } from '../replay/session.js';
import type { Choice } from './controls.js';
import { h, show } from './dom.js';
import { oneAtATime } from './one-at-a-time.js';
import { codeBlock, lanesTable } from './lanes.js';
import { writeSchedule } from '../core/count-text.js';

/** Play: you are the scheduler. Each button moves its thread one step, on its real Web Worker; Undo takes one back. */
export function playView(choice: () => Choice): { element: HTMLElement; reset(): Promise<void> } {
  const out = h('div', { class: 'out' });
  let session: ReplaySession | null = null;
  let goal: PlayGoal | null = null;
  let shown = '';
  let unreachable: string | null = null;

  const render = (message = '') => {
    if (!session || !goal) return show(out, null);
    const s = session;
    const next = new Map(Array.from({ length: s.size.threads }, (_, i) => [i + 1, s.nextLine(i + 1) ?? 0] as const));
    const over = s.over();
    const { lines } = s.scenario.outcome(s.mode, s.cells, s.size);
    const buttons = Array.from({ length: s.size.threads }, (_, i) =>
      h('button', { class: 'thread', 'data-thread': i + 1, disabled: over || s.refusal(i + 1) !== null, onclick: () => void move(i + 1) }, `thread ${i + 1}${s.refusal(i + 1) ? ': done' : s.canMove(i + 1) ? '' : ': would wait'}`),
    );
    show(
      out,
      h('p', { class: 'goal' }, `Goal: ${goal.text}.`),
      unreachable ? h('p', { id: 'play-unreachable', class: 'note' }, unreachable) : null,
      codeBlock(s.scenario, s.mode, over ? new Map() : next),
      h('div', { class: 'buttons' }, buttons, h('button', { id: 'play-undo', disabled: s.steps.length === 0, onclick: () => void undo() }, 'Undo')),
      lanesTable(s.scenario, s.mode, s.size.threads, s.steps),
      over
        ? h(
            'div',
            { id: 'play-end', class: goal.reached(s.cells) ? 'ok' : 'bad' },
            h('p', {}, goal.reached(s.cells) ? `You reached the goal. ${lines[0] ?? ''}` : `The goal was not reached: ${lines[0] ?? ''} Undo, and try another order.`),
            h('p', {}, 'The same in a terminal: ', h('code', {}, `race-demo replay --scenario ${shown} --mode ${s.mode} --threads ${s.size.threads} --iters ${s.size.iters} --schedule ${writeSchedule(s.schedule)}`)),
          )
        : null,
      message ? h('p', { class: 'error' }, message) : null,
    );
  };

  const guarded = oneAtATime(render);
  const reset = () =>
    guarded(async () => {
      await session?.close();
      const { ref, scenario, threads, iters, mode } = choice();
      shown = choice().shown;
      session = await ReplaySession.open({ scenario: ref, threads, iters, mode });
      const size = { threads, iters };
      goal = playGoalOf(scenario, size);
      unreachable = await unreachableGoalNote(scenario, ref, mode, size);
    });
  const move = (thread: number) => guarded(async () => void (await session?.take(thread)));
  const undo = () => guarded(async () => session?.back());

  const element = h('section', { id: 'play-view' }, h('p', {}, 'You are the scheduler: each button moves its thread one step, on its real thread. ', h('button', { id: 'play-new', onclick: () => void reset() }, 'New game')), out);
  return { element, reset };
}
