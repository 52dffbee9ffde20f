// Number and table formatting shared by the reports. Pure: strings in, strings out.

import { formatInt } from '../../core/text.js';

export { formatInt, listOf, plural } from '../../core/text.js';

/** Counts of more digits than this are shown to three: exact, one would not fit a line of 80. */
export const EXACT_DIGITS = 27;

/** A count exact with its thousands up to 27 digits (4 × 6's 2.4 × 10^26 fits); past that, 8.83 × 10^98. */
export function formatCount(count: bigint): string {
  const digits = count.toString();
  if (digits.length <= EXACT_DIGITS) return formatInt(count);
  let leading = Math.round(Number(digits.slice(0, 4)) / 10);
  let exponent = digits.length - 1;
  if (leading === 1000) {
    leading = 100;
    exponent++;
  }
  return `${(leading / 100).toFixed(2)} × 10^${exponent}`;
}

/** Two spaces before every line that has text, as the reports lay out their sections. */
export function indent(line: string): string {
  return line === '' ? line : `  ${line}`;
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

export function formatDuration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** 16,597,510 → "16.6 M". */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

/** One entry of a table: its text, and its colour. */
export interface Entry {
  readonly text: string;
  /** Applied after padding, so colour codes never upset the alignment. */
  readonly paint?: (text: string) => string;
}

export type Align = 'left' | 'right';

/**
 * Lays rows out in columns two spaces apart, each column as wide as its widest cell. The first row is
 * the heading. Where that is wider than `width`, each row becomes a paragraph of its own instead
 * ("unsafe: expected 400,000, actual 351,206, …"), wrapped to `width`: a narrow terminal still reads it.
 */
export function formatTable(align: readonly Align[], rows: readonly (readonly Entry[])[], width = Infinity): string[] {
  const widths = align.map((_, column) => Math.max(...rows.map((row) => row[column]?.text.length ?? 0)));
  const lines = rows.map((row) => padRow(align, row, widths, false).trimEnd());
  if (lines.every((line) => visibleLength(line) <= width)) return lines;
  return wrappedLastColumn(align, rows, widths, width) ?? stacked(rows, width);
}

/** One row in its columns; a left-aligned last column is left as it is unless `padLast`. */
function padRow(align: readonly Align[], row: readonly Entry[], widths: readonly number[], padLast: boolean): string {
  return row
    .map((cell, column) => {
      // A left-aligned last column needs no padding, and padding inside colour codes would not trim.
      const bare = column === row.length - 1 && align[column] === 'left' && !padLast;
      const padding = bare ? 0 : (widths[column] ?? 0);
      const padded = align[column] === 'right' ? cell.text.padStart(padding) : cell.text.padEnd(padding);
      return cell.paint ? cell.paint(padded) : padded;
    })
    .join('  ');
}

/** The same columns, with a left-aligned last column (a note) wrapped under itself, where 20 or more characters are left for it. */
function wrappedLastColumn(align: readonly Align[], rows: readonly (readonly Entry[])[], widths: readonly number[], width: number): string[] | null {
  const last = align.length - 1;
  if (align[last] !== 'left') return null;
  const before = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const room = width - before;
  if (room < 20) return null;
  return rows.flatMap((row) => {
    const lead = `${padRow(align, row.slice(0, last), widths, true)}  `;
    const cell = row[last];
    const parts = cell && cell.text !== '' ? wrapText(cell.text, room) : [''];
    return parts.map((part, i) => `${i === 0 ? lead : ' '.repeat(before)}${cell?.paint && part ? cell.paint(part) : part}`.trimEnd());
  });
}

/** Each row after the heading as one wrapped paragraph: its first cell, then "heading value" for the rest. */
function stacked(rows: readonly (readonly Entry[])[], width: number): string[] {
  const [heading = [], ...body] = rows;
  return body.flatMap((row, i) => {
    const [first, ...rest] = row;
    const parts = rest.flatMap((cell, column) => {
      if (cell.text.trim() === '') return [];
      const label = heading[column + 1]?.text.trim() ?? '';
      const text = label ? `${label} ${cell.text.trim()}` : cell.text.trim();
      return [cell.paint ? cell.paint(text) : text];
    });
    const lead = first ? (first.paint ? first.paint(first.text.trim()) : first.text.trim()) : '';
    return [...(i > 0 ? [''] : []), ...wrapText(`${lead}: ${parts.join(', ')}`, width)];
  });
}

/** A bar `width` characters long, filled in proportion to `ratio` (clamped to 0..1). */
export function formatBar(ratio: number, width: number): { filled: string; empty: string } {
  // Floor, so that a total short by even one never draws a full bar.
  const filled = Math.floor(Math.min(1, Math.max(0, ratio)) * width);
  return { filled: '█'.repeat(filled), empty: '░'.repeat(width - filled) };
}

/**
 * The width a report's indented text may take: the terminal's columns (or COLUMNS where stdout is not
 * a terminal; 80 where neither says), less the two-space indent, at most 98 for reading.
 */
export function textWidth(columns: number | undefined, env: Readonly<Record<string, string | undefined>> = {}): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  const page = columns ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80);
  return Math.max(38, Math.min(98, page - 2));
}

/** Breaks prose into lines of at most `width` visible characters, at spaces. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

// eslint-disable-next-line no-control-regex -- matching terminal colour codes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}
