import { usePlatform } from '../runtime/current-platform.js';
import { choiceControls } from './controls.js';
import { h, show } from './dom.js';
import { exploreView } from './explore-view.js';
import { webPlatform } from './platform.js';
import { playView } from './play-view.js';
import { replayView } from './replay-view.js';
import { runView } from './run-view.js';

const TABS = ['run', 'replay', 'explore', 'play'] as const;

/** The four views under one set of choices (scenario, threads, operations, mode), a tab each. */
export async function showPage(root: HTMLElement): Promise<void> {
  usePlatform(webPlatform);
  const controls = await choiceControls(() => void play.reset());
  const replay = replayView(controls.current);
  const play = playView(controls.current);
  const views: Record<(typeof TABS)[number], HTMLElement> = {
    run: runView(controls.current),
    replay: replay.element,
    explore: exploreView(controls.current, (schedule) => {
      select('replay');
      void replay.load(schedule);
    }),
    play: play.element,
  };
  const bar = h('nav', {}, TABS.map((tab) => h('button', { id: `tab-${tab}`, class: 'tab', onclick: () => select(tab) }, tab)));
  const body = h('main', {});
  const select = (tab: (typeof TABS)[number]) => {
    for (const button of bar.querySelectorAll('button')) button.classList.toggle('on', button.id === `tab-${tab}`);
    show(body, views[tab]);
  };
  show(root, h('h1', {}, 'race-demo ', h('span', { id: 'isolated', class: 'ok' }, 'real threads: cross-origin isolated')), controls.element, bar, body);
  select('run');
  void play.reset();
}
