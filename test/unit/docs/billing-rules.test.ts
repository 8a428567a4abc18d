import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'docs', 'billing-rules.md');

// CI clones the repository with ../shared beside it; a clone without it has only the repository's copy.
describe.runIf(existsSync(SHARED))('docs/billing-rules.md', () => {
  it("is the team's shared contract, word for word", async () => {
    // Act
    const [ours, shared] = await Promise.all([
      readFile(join(ROOT, 'docs', 'billing-rules.md'), 'utf8'),
      readFile(SHARED, 'utf8'),
    ]);

    // Assert
    expect(ours).toBe(shared);
  });
});
