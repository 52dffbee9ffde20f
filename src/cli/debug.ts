/** RACE_DEMO_DEBUG turns on a line on stderr per worker event; empty, 0 and false leave it off. */
export function isDebugOn(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.RACE_DEMO_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
