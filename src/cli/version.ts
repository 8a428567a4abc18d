import { readFileSync } from 'node:fs';

/** wco's version, from its package.json (two folders up from `src/cli/` and from `dist/cli/`). */
export const WCO_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
