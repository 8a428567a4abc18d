import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

type Version = [number, number, number];
const version = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
};
const atLeast = (a: Version, b: Version) => {
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index]! > b[index]!;
  return true;
};

/** Whether Node `node` satisfies an `engines.node` range; `undefined` for a form this check cannot read. */
function satisfies(node: Version, range: string): boolean | undefined {
  const answers = range.split('||').map((alternative) => {
    const text = alternative.trim().replace(/(\.[x*])+$/, '');
    let match = /^>=\s*v?([\d.]+)$/.exec(text);
    if (match) return atLeast(node, version(match[1]!));
    match = /^\^\s*v?([\d.]+)$/.exec(text);
    if (match) return version(match[1]!)[0] === node[0] && atLeast(node, version(match[1]!));
    match = /^(\d+)$/.exec(text);
    if (match) return Number(match[1]) === node[0];
    if (text === '*' || text === '') return true;
    return undefined;
  });
  if (answers.includes(true)) return true;
  return answers.includes(undefined) ? undefined : false;
}

// The decision (README, "Node.js"): the CLI and the tests run on Node >= 20.19, the Lambda on
// nodejs22.x. The SDK's notice is about its releases after January 2027; this test is the
// tripwire that says when a locked package (the SDK first) stops supporting the promised minimum.
describe('Node.js support', () => {
  const minimum = /^>=\s*([\d.]+)$/.exec(JSON.parse(read('package.json')).engines.node as string)?.[1];

  it('promises one minimum Node version, and the README states it', () => {
    expect(minimum).toBeDefined();
    expect(read('README.md')).toContain(`Node.js ${minimum} or newer`);
  });

  it('every locked package, the AWS SDK included, supports that minimum', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const unsupported = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && typeof entry.engines?.node === 'string')
      .filter(([, entry]) => satisfies(version(minimum!), entry.engines!.node!) !== true)
      .map(([path, entry]) => `${path} needs node ${entry.engines!.node}`);
    expect(unsupported).toEqual([]);
  });

  it('the Lambda runs on Node 22', () => {
    expect(read('serverless.yml')).toMatch(/^\s+runtime: nodejs22\.x$/m);
  });
});
