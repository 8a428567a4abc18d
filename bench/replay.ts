/**
 * Benchmark of `wco replay`: the simulated fleet's history over `--months`
 * months, replayed daily (wco's rules through `runOptimizer`, in memory), then
 * billed per WorkSpace and month; the same as `wco replay --demo` without the
 * report files. Run in its own process (bench/run.ts forks it) so that the
 * peak RSS is the replay's alone.
 *
 *   npx tsx bench/replay.ts [--size 10000] [--months 3] [--forecast]
 */
import { parseArgs } from 'node:util';
import { replayPeriod } from '../src/app/replay/replay-period.js';
import { replay } from '../src/app/replay/replay.js';
import { previousMonthStartUtc, thresholdPolicy } from '../src/billing/index.js';
import { CONFIG_DEFAULTS } from '../src/config/defaults.js';
import { buildPriceCatalog } from '../src/pricing/build-price-catalog.js';
import { SimulatedHistorySource } from '../src/simulated/index.js';
import { MemoryDocumentStore } from '../src/store/memory-document-store.js';

const TARGETS = { wallSeconds: 600, peakRssMiB: 2048 };

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    months: { type: 'string', default: '3' },
    last: { type: 'string', default: '2026-11' },
    forecast: { type: 'boolean', default: false },
  },
});
const size = Number(values.size);
const last = new Date(`${values.last}-01T00:00:00Z`);
let first = last;
for (let month = 1; month < Number(values.months); month += 1) first = previousMonthStartUtc(first);
const period = replayPeriod(first, last);

const prices = await buildPriceCatalog({ priceFile: CONFIG_DEFAULTS.demoPriceFile });
const phases: Record<string, number> = {};
let mark = performance.now();
const lap = (phase: string) => {
  const now = performance.now();
  phases[phase] = (phases[phase] ?? 0) + (now - mark) / 1000;
  mark = now;
};
const started = performance.now();
const result = await replay(
  {
    history: new SimulatedHistorySource({ seed: 2026, count: size }),
    prices,
    ledgerStore: () => new MemoryDocumentStore(),
    onHistoryRead: () => lap('history (generated)'),
    onProgress: ({ policy, runsDone, runsTotal }) => {
      if (runsDone === runsTotal) lap(`${policy} runs`);
    },
  },
  {
    period,
    schedule: { kind: 'daily', hourUtc: CONFIG_DEFAULTS.replayHourUtc },
    thresholds: thresholdPolicy(),
    assumedTimeoutMinutes: CONFIG_DEFAULTS.assumedTimeoutMinutes,
    forecast: values.forecast,
    regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
    modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
    until: new Date(),
  },
);
lap('bills');
const wallSeconds = (performance.now() - started) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

const total = (policy: string) => result.rows.find((row) => row.month === 'TOTAL' && row.policy === policy);
console.log(
  `\nreplay of ${period.from} to ${period.to}: ${result.workspaces} WorkSpaces (${size} at the start), ${result.runs} daily runs${values.forecast ? ', with the forecast policy' : ''}, node ${process.version}`,
);
for (const [phase, seconds] of Object.entries(phases))
  console.log(`  ${phase.padEnd(22)} ${seconds.toFixed(1)} s`);
for (const policy of result.policies) {
  const row = total(policy);
  if (row)
    console.log(
      `  ${policy.padEnd(10)} ${row.currency} ${row.cost.toFixed(2)}  captured ${row.capturedShare?.times(100).toFixed(1) ?? '-'} %`,
    );
}
const checks = [
  [`wall time ${wallSeconds.toFixed(1)} s`, wallSeconds < TARGETS.wallSeconds],
  [`peak RSS ${peakRssMiB.toFixed(0)} MiB`, peakRssMiB < TARGETS.peakRssMiB],
] as const;
for (const [label, ok] of checks) console.log(`  ${label.padEnd(45)} ${ok ? 'ok' : 'OVER TARGET'}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
