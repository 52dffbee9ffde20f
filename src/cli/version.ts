import { readFileSync } from 'node:fs';

// Read, not imported: a JSON import needs an import attribute Node 20 still warns about.
export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
