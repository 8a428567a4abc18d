import { defineConfig } from 'vitest/config';
import { unitTests } from './vitest-base.mjs';

export default defineConfig(unitTests(['test/unit/billing/**/*.test.ts']));
