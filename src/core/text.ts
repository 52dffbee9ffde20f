// Plain-text helpers that both the library's messages and the CLI's reports use.

/** 2147483647 → "2,147,483,647". By hand: Intl's first use costs about 25 ms of ICU start-up, a fifth of `--help`. */
export function formatInt(value: number | bigint): string {
  if (typeof value === 'bigint') return groupDigits(value < 0n ? -value : value, value < 0n);
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return String(value);
  // Like Intl's default: at most three decimals, no trailing zeros.
  const magnitude = Math.abs(value);
  const [whole = '', fraction] = String(Number.isInteger(value) ? magnitude : Math.round(magnitude * 1000) / 1000).split('.');
  const grouped = groupDigits(whole, false) + (fraction ? `.${fraction}` : '');
  return value < 0 && grouped !== '0' ? `-${grouped}` : grouped;
}

function groupDigits(whole: string | bigint, negative: boolean): string {
  return (negative ? '-' : '') + String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** 1 → "1 update", 2 → "2 updates". */
export function plural(count: number | bigint, noun: string): string {
  return `${formatInt(count)} ${noun}${count === 1 || count === 1n ? '' : 's'}`;
}

/** ["a"] → "a"; ["a", "b", "c"] → "a, b and c". */
export function listOf(items: readonly (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${String(items.at(-1))}`;
}
