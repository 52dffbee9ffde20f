import type { RunReport } from '../../run/run.js';
import { formatInt, plural } from './format.js';
import { verdictsOf } from './junit.js';

// What a run tells GitHub Actions: an error annotation per mode that failed the expectation, and a
// Markdown summary for the job's page (GITHUB_STEP_SUMMARY). Pure: the command writes them.

/** `::error title=…::message`, escaped as the runner reads it. */
export function formatAnnotations(report: RunReport, reproduce: string): string {
  return verdictsOf(report)
    .filter((v) => v.failure !== null)
    .map((v) => `::error title=${property(`race-demo: --expect ${report.expect} did not hold (${report.scenario} ${v.result.mode})`)}::${data(`${v.failure!} To reproduce: ${reproduce}`)}\n`)
    .join('');
}

/** The results table and, when the expectation failed, how to reproduce it, in Markdown. */
export function formatJobSummary(report: RunReport, reproduce: string): string {
  const rows = report.results.map((r) => `| ${r.mode}${r.widened ? ' (gap widened)' : ''} | ${formatInt(r.expected)} | ${formatInt(r.actual)} | ${r.ok ? 'held' : '**broken**'} |`);
  const verdict = report.expect === null ? '' : report.ok ? `\`--expect ${report.expect}\` held: ${report.reason}\n` : `**\`--expect ${report.expect}\` did not hold:** ${report.reason}\n\nTo reproduce:\n\n\`\`\`sh\n${reproduce.split('; step by step: ').join('\n')}\n\`\`\`\n`;
  return [
    `### race-demo run ${report.scenario}: ${plural(report.threads, 'thread')} × ${plural(report.iters, report.operation)}`,
    '',
    `| mode | expected | actual (${report.measure}) | invariant |`,
    '|---|---|---|---|',
    ...rows,
    '',
    verdict,
  ].join('\n');
}

function data(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(value: string): string {
  return data(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
