// @ts-check
import { areaConfig } from './base.mjs';

/** The pure billing core: every figure of every report comes from here. */
export default {
  ...areaConfig('billing'),
  mutate: ['src/billing/**/*.ts', '!src/billing/index.ts'],
  thresholds: { high: 98, low: 95, break: 95 },
};
