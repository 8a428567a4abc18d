import { defineConfig } from 'vitest/config';
import { unitTests } from './vitest-base.mjs';

export default defineConfig(
  unitTests(['test/unit/report/*.test.ts', 'test/unit/app/monthly-summary.test.ts']),
);
