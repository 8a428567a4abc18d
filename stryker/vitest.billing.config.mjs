import { defineConfig } from 'vitest/config';
import { unitTests } from './vitest-base.mjs';

export default defineConfig(
  unitTests([
    'test/unit/billing/**/*.test.ts',
    // Compares KNOWN_COMPUTE_TYPES with the SDK's list of compute types.
    'test/unit/config/run-flags.test.ts',
  ]),
);
