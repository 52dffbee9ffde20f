import { h, show } from './dom.js';

// The page: the same scenario modules and engines as the CLI, on real Web Workers sharing one
// SharedArrayBuffer. Workers may share memory only in a cross-origin isolated page, which
// `race-demo serve` makes with its headers; anywhere else the page says why, and how to fix it.
// The engines are imported only once isolation is known: without it, SharedArrayBuffer does not
// exist, and a module that makes one as it loads would fail before the page could explain.

const root = document.getElementById('app')!;

if (globalThis.crossOriginIsolated) {
  const { showPage } = await import('./page.js');
  await showPage(root);
} else {
  show(
    root,
    h('h1', {}, 'race-demo'),
    h(
      'div',
      { id: 'not-isolated', class: 'bad' },
      h('p', {}, 'This page is not cross-origin isolated, so its threads cannot share memory: a browser lends SharedArrayBuffer only to a page served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.'),
      h('p', {}, 'Serve it with ', h('code', {}, 'race-demo serve'), ', which sends both, and open the address it prints.'),
    ),
  );
}
