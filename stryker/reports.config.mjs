// @ts-check
import { areaConfig } from './base.mjs';

/**
 * The reports finance reads: the daily report's columns and keys, `summary.csv`
 * and the figures of `summary.html`. The charts' SVG geometry, the page's
 * stylesheet and the replay report are left out (layout, not figures).
 */
export default {
  ...areaConfig('reports'),
  mutate: [
    'src/report/columns.ts',
    'src/report/csv.ts',
    'src/report/format.ts',
    'src/report/keys.ts',
    'src/report/monthly-summary-csv.ts',
    'src/report/summary-html.ts',
    'src/report/summary-tables.ts',
  ],
  thresholds: { high: 90, low: 85, break: 85 },
};
