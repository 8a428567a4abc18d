import { defineConfig } from 'vitest/config';
import { unitTests } from './vitest-base.mjs';

// Not demo-month-summary.test.ts nor replay-report.test.ts: they build a whole month in
// `beforeAll`, which makes every report mutant "static" (run against every test, ~45 min).
export default defineConfig(
  unitTests([
    'test/unit/report/columns*.test.ts',
    'test/unit/report/daily-report.test.ts',
    'test/unit/report/golden-month.test.ts',
    'test/unit/report/load-month-reports.test.ts',
    'test/unit/report/read-report-row.test.ts',
    'test/unit/report/spreadsheet-safety.test.ts',
    'test/unit/report/streamed-reports.test.ts',
    'test/unit/report/tag-columns.test.ts',
    'test/unit/app/monthly-summary.test.ts',
  ]),
);
