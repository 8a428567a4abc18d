import type { Command } from 'commander';
import type { ReplayResult, ReplayRow } from '../app/replay/replay.js';
import { replay, TOTAL_MONTH } from '../app/replay/replay.js';
import { ReplayPolicy } from '../app/replay/replay-bills.js';
import { describeSchedule, replayPeriod, runTimes } from '../app/replay/replay-period.js';
import { thresholdPolicy } from '../billing/index.js';
import type { ReplaySetup } from '../compose/replay-dependencies.js';
import { setupReplayDependencies } from '../compose/replay-dependencies.js';
import type { ReplayTarget } from '../compose/targets.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import type { RawReplayFlags } from '../config/replay-flags.js';
import { loadReplayFlags } from '../config/replay-flags.js';
import { formatMoney } from '../report/format.js';
import { POLICY_LABEL } from '../report/replay-chart.js';
import { percent } from '../report/replay-html.js';
import { writeReplayReports } from '../report/replay-report.js';
import { textTable } from '../shared/text-table.js';
import { addAccountOptions, addFleetOptions, setupConfigOf } from './fleet-options.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { prepareOutputFolder } from './output-folder.js';
import { progressBar } from './progress-bar.js';

/** `wco replay`: what wco would have saved over past months, against doing nothing and the best possible. */
export function registerReplayCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
): void {
  const command = program
    .command('replay')
    .description(
      "replay the optimizer's runs over past months (nothing is modified): cost as is, with wco, and the optimum",
    )
    .option('--demo', 'replay the embedded simulated fleet instead of AWS')
    .option(
      '--regions <list>',
      "comma-separated AWS regions of a real fleet, in the credentials' own account (default: AWS_REGION)",
    )
    .option(
      '--bucket <name>',
      "the deployment's report bucket: its conversion ledger gives the starting modes (read only)",
    )
    .option('--from <YYYY-MM>', 'first month (default: three months before the current one)')
    .option('--to <YYYY-MM>', 'last month (default: the last complete month)')
    .option(
      '--hour <0-23>',
      `UTC hour of the daily runs (default ${CONFIG_DEFAULTS.replayHourUtc}, as deployed)`,
    )
    .option('--hourly', 'replay a run every hour instead of daily')
    .option(
      '--policy <name>',
      'also replay this policy: forecast (switch to AlwaysOn early on a confident forecast)',
    )
    .option(
      '--out <folder>',
      `write reports/replay/<from>_<to>/ under this folder (default ${CONFIG_DEFAULTS.outDir})`,
    )
    .option(
      '--count <n>',
      `WorkSpaces of the simulated fleet at the start (default ${CONFIG_DEFAULTS.demoCount})`,
    );
  addAccountOptions(addFleetOptions(command), { hidden: true }).action(async (raw: RawReplayFlags) => {
    setExitCode(await replayCommand(raw, io));
  });
}

async function replayCommand(raw: RawReplayFlags, io: CliIo): Promise<ExitCode> {
  const now = io.now();
  const flags = loadReplayFlags(raw, io.env, now);
  for (const warning of flags.warnings) io.stderr.write(`wco: warning: ${warning}\n`);
  // Checked for real before anything reads it; taken back if later input turns out bad.
  const output = await prepareOutputFolder(flags.target.outDir);
  const target: ReplayTarget = { ...flags.target, outDir: output.path };
  const config = setupConfigOf(flags, io);
  const log = config.log;
  let setup: ReplaySetup;
  let prices: PriceCatalog | undefined;
  try {
    setup = await setupReplayDependencies(target, config);
    prices = await setup.priceCatalog(now);
  } catch (error) {
    await output.takeBack();
    throw error;
  }
  const period = replayPeriod(flags.from, flags.to);
  const policies: ReplayPolicy[] = flags.forecast
    ? [ReplayPolicy.WCO, ReplayPolicy.FORECAST]
    : [ReplayPolicy.WCO];
  const runs = runTimes(period, flags.schedule).length;
  const bar = progressBar(io, runs * policies.length);
  bar?.update(0, 'reading the usage history');
  let result: ReplayResult;
  try {
    result = await replay(
      {
        ...setup,
        prices,
        log,
        onProgress: ({ policy, runsDone, asOf }) =>
          bar?.update(
            policies.indexOf(policy) * runs + runsDone,
            `${policy} ${asOf.toISOString().slice(0, 10)}`,
          ),
      },
      {
        period,
        schedule: flags.schedule,
        thresholds: thresholdPolicy(flags.thresholdOverrides, flags.defaultThreshold),
        assumedTimeoutMinutes: flags.assumedTimeoutMinutes,
        forecast: flags.forecast,
        regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
        modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
        until: now,
      },
    );
  } finally {
    bar?.stop();
  }

  const writes = await writeReplayReports(setup.output, result);
  io.stdout.write(formatReplay(result, target));
  const written = writes.written.map((key) => setup.output.locate(key));
  if (written.length > 0) io.stdout.write(`Reports: ${written.join(', ')}\n`);
  for (const failure of writes.failures) io.stderr.write(`wco: ${failure.target}: ${failure.message}\n`);
  for (const problem of result.problems) io.stderr.write(`wco replay: incomplete: ${problem}\n`);
  return writes.failures.length > 0 || result.problems.length > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
}

/** The comparison for a terminal: what was replayed, the table, the headline, what is left out. */
export function formatReplay(result: ReplayResult, target: ReplayTarget): string {
  const { period } = result;
  const fleet =
    target.kind === 'demo' ? `the simulated fleet (seed ${target.seed})` : `${result.regions.join(', ')}`;
  const lines = [
    `wco replay of ${period.from} to ${period.to} on ${fleet}: ${result.runs} runs ${describeSchedule(result.schedule)}; nothing was modified`,
    ...result.notes.map((note) => `  ${note}`),
    '',
  ];
  const table = textTable(
    ['month', 'policy', 'WorkSpaces', 'cost', 'saved vs as is', 'captured', 'regret', 'conversions'],
    result.rows.map((row) => [
      row.month,
      POLICY_LABEL[row.policy] ?? row.policy,
      String(row.workspaces),
      formatMoney(row.currency, row.cost),
      formatMoney(row.currency, row.savingsVsAsIs),
      percent(row.capturedShare),
      formatMoney(row.currency, row.regret),
      String(row.conversions),
    ]),
  );
  return `${lines.join('\n')}\n${table}\n${headlines(result).join('\n')}\n`;
}

function headlines(result: ReplayResult): string[] {
  const totals = result.rows.filter((row) => row.month === TOTAL_MONTH);
  const lines: string[] = [];
  for (const currency of new Set(totals.map((row) => row.currency))) {
    const of = (policy: ReplayPolicy) =>
      totals.find((row) => row.currency === currency && row.policy === policy);
    const wco = of(ReplayPolicy.WCO);
    const optimum = of(ReplayPolicy.OPTIMUM);
    const forecast = of(ReplayPolicy.FORECAST);
    if (wco === undefined || optimum === undefined) continue;
    lines.push(
      `wco's rules captured ${percent(wco.capturedShare)} of the achievable savings: ${formatMoney(currency, wco.savingsVsAsIs)} of ${formatMoney(currency, optimum.savingsVsAsIs)} (${result.period.from} to ${result.period.to}).`,
    );
    if (forecast !== undefined) lines.push(forecastLine(currency, forecast, wco));
  }
  if (totals.length === 0) lines.push('No WorkSpace had a known price: nothing to compare.');
  const { unpriced, unsupportedMode, usageUnknown } = result.excluded;
  const left = [
    unpriced > 0 ? `${unpriced} without a price` : '',
    unsupportedMode > 0 ? `${unsupportedMode} in a mode wco does not convert` : '',
    usageUnknown > 0 ? `${usageUnknown} whose usage could not be read` : '',
  ].filter((part) => part !== '');
  if (left.length > 0) lines.push(`Left out of every amount: ${left.join(', ')}.`);
  return lines;
}

function forecastLine(currency: string, forecast: ReplayRow, wco: ReplayRow): string {
  const gain = wco.cost.minus(forecast.cost);
  const points =
    forecast.capturedShare === undefined || wco.capturedShare === undefined
      ? ''
      : ` (${forecast.capturedShare.minus(wco.capturedShare).times(100).toFixed(1)} points)`;
  return gain.isNegative()
    ? `The forecast policy captured ${percent(forecast.capturedShare)}: it costs ${formatMoney(currency, gain.negated())} more than the contract's rules${points}.`
    : `The forecast policy captured ${percent(forecast.capturedShare)}: it beats the contract's rules by ${formatMoney(currency, gain)}${points}.`;
}
