// Plain-text helpers that both the library's messages and the CLI's reports use.

/** 2147483647 → "2,147,483,647". By hand: Intl's first use costs about 25 ms of ICU start-up, a fifth of `--help`. */
export function formatInt(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return String(value);
  // Like Intl's default: at most three decimals, no trailing zeros.
  const magnitude = Math.abs(value);
  const [whole = '', fraction] = String(Number.isInteger(value) ? magnitude : Math.round(magnitude * 1000) / 1000).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction ? `.${fraction}` : '');
  return value < 0 && grouped !== '0' ? `-${grouped}` : grouped;
}

/** 1 → "1 update", 2 → "2 updates". */
export function plural(count: number, noun: string): string {
  return `${formatInt(count)} ${noun}${count === 1 ? '' : 's'}`;
}
