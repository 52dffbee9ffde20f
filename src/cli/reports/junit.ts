import type { RunReport } from '../../run/run.js';
import type { ModeResult } from '../../run/trial.js';

/** Which modes failed the expectation, and why: what a CI report needs of a run. */
export interface ModeVerdict {
  readonly result: ModeResult;
  /** Why this mode failed the expectation; null when it passed (or nothing was expected). */
  readonly failure: string | null;
}

/** Each mode against the expectation: `correct` fails a mode that broke the invariant, `race` one that kept it. */
export function verdictsOf(report: RunReport): ModeVerdict[] {
  return report.results.map((result) => {
    const trials = report.trials?.modes.find((t) => t.mode === result.mode);
    const where = trials ? ` in ${trials.raced} of ${trials.run} trials` : '';
    if (report.expect === 'correct' && !result.ok) return { result, failure: `${result.mode} broke the invariant${where}: ${result.summary[0] ?? ''}` };
    if (report.expect === 'race' && result.ok) return { result, failure: `${result.mode} kept the invariant${trials ? ` in all ${trials.run} trials` : ''}: ${result.summary[0] ?? ''}` };
    return { result, failure: null };
  });
}

/**
 * JUnit XML for a run: one test suite for the scenario, one test case per mode (its trials together),
 * a <failure> for each mode that failed the expectation, with how to reproduce it. The attributes are
 * those GitHub and GitLab test reports read: name, tests, failures, errors, time; classname on a case.
 */
export function formatJunit(report: RunReport, reproduce: string, timestamp: string): string {
  const verdicts = verdictsOf(report);
  const failures = verdicts.filter((v) => v.failure !== null).length;
  const seconds = (result: ModeResult) => {
    const trials = report.trials?.modes.find((t) => t.mode === result.mode);
    return ((trials ? trials.elapsedMs.median * trials.run : result.elapsedMs) / 1000).toFixed(3);
  };
  const total = verdicts.reduce((sum, v) => sum + Number(seconds(v.result)), 0).toFixed(3);
  const suite = `race-demo run ${report.scenario}`;
  const properties = [
    ['scenario', report.scenario],
    ['threads', String(report.threads)],
    ['iters', String(report.iters)],
    ['expect', report.expect ?? 'none'],
    ['trials', String(report.trials?.requested ?? 1)],
    ['widen', report.widen],
    ['node', report.node],
    ['cpus', String(report.cpus)],
  ];
  const cases = verdicts.map(({ result, failure }) => {
    const open = `    <testcase name="${attribute(result.mode)}" classname="race-demo.${attribute(report.scenario)}" time="${seconds(result)}"`;
    const out = `      <system-out>${text(result.summary.join('\n'))}</system-out>`;
    if (failure === null) return `${open}>\n${out}\n    </testcase>`;
    const body = `${failure}\n\nTo reproduce: ${reproduce}`;
    return `${open}>\n      <failure message="${attribute(failure)}" type="expectation">${text(body)}</failure>\n${out}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="race-demo" tests="${verdicts.length}" failures="${failures}" errors="0" time="${total}">`,
    `  <testsuite name="${attribute(suite)}" tests="${verdicts.length}" failures="${failures}" errors="0" skipped="0" time="${total}" timestamp="${timestamp}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${attribute(value!)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function text(value: string): string {
  // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot hold at all
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
