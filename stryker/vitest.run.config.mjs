import { defineConfig } from 'vitest/config';
import { unitTests } from './vitest-base.mjs';

export default defineConfig(
  unitTests([
    'test/unit/app/run-*.test.ts',
    'test/unit/app/projection-history.test.ts',
    // The sharded deployment's plan, shard tasks and merge, and the unused review they carry.
    'test/unit/app/sharded-unused.test.ts',
    'test/unit/app/unused-*.test.ts',
    'test/unit/app/ledger/*.test.ts',
    'test/unit/report/streamed-reports.test.ts',
  ]),
);
