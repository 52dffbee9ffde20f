// Plain-text helpers that both the library's messages and the CLI's reports use.

const grouped = new Intl.NumberFormat('en-US');

/** 2147483647 → "2,147,483,647". */
export function formatInt(value: number): string {
  return grouped.format(value);
}

/** 1 → "1 update", 2 → "2 updates". */
export function plural(count: number, noun: string): string {
  return `${formatInt(count)} ${noun}${count === 1 ? '' : 's'}`;
}
