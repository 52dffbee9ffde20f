// Number and table formatting shared by the reports. Pure: strings in, strings out.

export { formatInt, listOf, plural } from '../../core/text.js';

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

/** Lays rows out in columns two spaces apart, each column as wide as its widest cell. */
export function formatTable(align: readonly Align[], rows: readonly (readonly Entry[])[]): string[] {
  const widths = align.map((_, column) => Math.max(...rows.map((row) => row[column]?.text.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        // A left-aligned last column needs no padding, and padding inside colour codes would not trim.
        const width = column === row.length - 1 && align[column] === 'left' ? 0 : (widths[column] ?? 0);
        const padded = align[column] === 'right' ? cell.text.padStart(width) : cell.text.padEnd(width);
        return cell.paint ? cell.paint(padded) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** A bar `width` characters long, filled in proportion to `ratio` (clamped to 0..1). */
export function formatBar(ratio: number, width: number): { filled: string; empty: string } {
  // Floor, so that a total short by even one never draws a full bar.
  const filled = Math.floor(Math.min(1, Math.max(0, ratio)) * width);
  return { filled: '█'.repeat(filled), empty: '░'.repeat(width - filled) };
}

/** The width prose is wrapped to: the terminal's, less the indent, and at most 96 for reading. */
export function textWidth(columns: number | undefined): number {
  return Math.max(40, Math.min(96, (columns ?? 100) - 4));
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
