import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { AccountFleet } from '../ports/account-fleet.js';
import ora from 'ora';
import { runOptimizer } from '../app/run-optimizer.js';
import type { RunSummary } from '../app/run-summary.js';
import { runFailed, toJsonSummary } from '../app/run-summary.js';
import { thresholdPolicy } from '../billing/index.js';
import { setupDependencies } from '../compose/setup-dependencies.js';
import type { RunDependencies, RunTarget } from '../compose/targets.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { RawRunFlags, RunFlags } from '../config/run-flags.js';
import { AsOfSource, loadRunFlags } from '../config/run-flags.js';
import { reportKeys } from '../report/keys.js';
import type { StoredReports } from '../report/stored-reports.js';
import { WCO_VERSION } from './version.js';
import { errorMessage } from '../shared/errors.js';
import { addAccountOptions, addFleetOptions, setupConfigOf } from './fleet-options.js';
import { formatSummary } from './format-summary.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { prepareOutputFolder } from './output-folder.js';
import { drawsInPlace } from './progress-bar.js';
import { runMoneyLines } from './run-money-lines.js';
import { logDecision } from './verbose-log.js';

/** `wco run`: evaluate the fleet, convert with --apply, write the reports, print a summary. */
export function registerRunCommand(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  const command = program
    .command('run')
    .description(
      'evaluate every WorkSpace, convert the ones in the wrong mode (with --apply), write the reports',
    )
    .option('--demo', 'run on the embedded simulated fleet instead of AWS')
    .option(
      '--out <folder>',
      `write the reports to this local folder (the demo defaults to ${CONFIG_DEFAULTS.outDir})`,
    )
    .option('--bucket <name>', 'write the reports to this S3 bucket (AWS runs)')
    .option('--regions <list>', 'comma-separated AWS regions (default: AWS_REGION)')
    .option('--as-of <time>', 'evaluate as of this instant, ISO 8601 with a zone (default: now)')
    .option('--apply', 'change running modes (default: dry run, nothing changes)')
    .option('--end-of-month', 'evaluate as if it were the last day of the month');
  addAccountOptions(addFleetOptions(command))
    .option(
      '--event-bus <name>',
      `EventBridge bus for conversion events (AWS runs; default "${CONFIG_DEFAULTS.eventBusName}")`,
    )
    .option(
      '--tag-columns <keys>',
      'comma-separated tag keys that get a column each in the daily report, like CostCenter,Department',
    )
    .option(
      '--unused-months <n>',
      `months without a user connection before a WorkSpace is listed as unused, 1 to 15 (default ${CONFIG_DEFAULTS.unusedMonths})`,
    )
    .option(
      '--terminate-unused',
      'remove WorkSpaces unused for --unused-months, on the last UTC day of the month only, with --apply (default: report only)',
    )
    .option('--unused-action <action>', 'what removal does: terminate, stop or autostop (default terminate)')
    .option(
      '--max-removals <n>',
      `at most this many removals per run (default ${CONFIG_DEFAULTS.maxRemovalsPerRun})`,
    )
    .option('--json', 'print the run summary as JSON (the same as run-summary.json next to the reports)')
    .action(async (raw: RawRunFlags) => {
      setExitCode(await runCommand(raw, io));
    });
}

/**
 * 1 when the run failed (a report, ledger or event write), part of the fleet
 * could not be read, a conversion or a removal of an unused WorkSpace FAILED, or a WorkSpace's usage or tags could
 * not be read: the automation that calls wco must see it. The demo's simulated
 * fleet fails a few WorkSpaces on purpose; its summary shows them, and it exits 0.
 */
export function runExitCode(summary: RunSummary, demo: boolean): ExitCode {
  if (runFailed(summary) || summary.problems.length > 0) return ExitCode.RUN_FAILED;
  if ((summary.unused?.failed.length ?? 0) > 0) return ExitCode.RUN_FAILED;
  const unreadable = summary.errors.length + (summary.skipped.TAGS_UNAVAILABLE ?? 0);
  return unreadable > 0 && !demo ? ExitCode.RUN_FAILED : ExitCode.OK;
}

/**
 * `run-summary.json` next to the day's reports, and the summary as the run
 * ends it: with the file's key, or its write failure (which fails the run).
 */
async function writeRunSummary(
  reports: StoredReports,
  summary: RunSummary,
  demo: boolean,
): Promise<{ summary: RunSummary; json: string }> {
  const jsonOf = (final: RunSummary) =>
    `${JSON.stringify({ wcoVersion: WCO_VERSION, exitCode: runExitCode(final, demo), ...toJsonSummary(final) }, null, 2)}\n`;
  const withKey = { ...summary, reportKeys: [...summary.reportKeys, reportKeys.runSummary(summary.asOf)] };
  const { failures } = await reports.writeRunSummary(summary.asOf, jsonOf(withKey));
  const final =
    failures.length === 0 ? withKey : { ...summary, writeFailures: [...summary.writeFailures, ...failures] };
  return { summary: final, json: jsonOf(final) };
}

/** Says which `T` the demo picked when none was given (it is not today). */
function demoAsOfNote(flags: RunFlags): string {
  if (flags.asOfSource !== AsOfSource.DEMO_DEFAULT) return '';
  return `Demo without --as-of: the month-end run of the last complete month, ${flags.asOf.toISOString()} (--as-of picks another time)\n`;
}

async function runCommand(raw: RawRunFlags, io: CliIo): Promise<ExitCode> {
  const flags = loadRunFlags(raw, io.env, io.now());
  for (const warning of flags.warnings) io.stderr.write(`wco: warning: ${warning}\n`);
  // Checked for real before anything reads it; taken back if later input turns out bad.
  const output =
    flags.target.outDir === undefined ? undefined : await prepareOutputFolder(flags.target.outDir);
  const asOf = flags.asOf;
  const target: RunTarget =
    flags.target.kind === 'demo'
      ? { ...flags.target, outDir: output!.path, asOf }
      : { ...flags.target, outDir: output?.path };
  const config = setupConfigOf(flags, io);
  const log = config.log;
  let deps: RunDependencies;
  let prices: PriceCatalog | undefined;
  let accounts: readonly AccountFleet[];
  const runId = `cli-${randomUUID()}`;
  try {
    deps = await setupDependencies(target, config);
    prices = await deps.priceCatalog(asOf);
    accounts = await deps.accountFleets(runId);
  } catch (error) {
    await output?.takeBack();
    throw error;
  }

  if (deps.recordSimulatedLogins) {
    try {
      await deps.recordSimulatedLogins();
    } catch (error) {
      io.stderr.write(
        `wco: the simulated logins could not be written to the audit trail: ${errorMessage(error)}\n`,
      );
      return ExitCode.RUN_FAILED;
    }
  }

  const spinner = drawsInPlace(io)
    ? ora({ text: 'Reading the fleet', stream: io.stderr, isEnabled: true }).start()
    : undefined;
  try {
    const { summary } = await runOptimizer(
      {
        ...deps,
        log,
        prices,
        // Logged as decided: results are not kept.
        onResult: log ? (result) => logDecision(result, log) : undefined,
        accounts,
        onProgress: ({ regionsDone, regionsTotal, workspacesSeen }) => {
          if (spinner)
            spinner.text = `Evaluated ${regionsDone}/${regionsTotal} regions, ${workspacesSeen} WorkSpaces`;
        },
      },
      {
        asOf,
        dryRun: flags.dryRun,
        forceMonthEnd: flags.forceEndOfMonth,
        thresholds: thresholdPolicy(flags.thresholdOverrides, flags.defaultThreshold),
        assumedTimeoutMinutes: flags.assumedTimeoutMinutes,
        regionConcurrency: flags.regionConcurrency,
        modifyConcurrency: flags.modifyConcurrency,
        account: deps.account,
        // The summary says it all: results are not kept, so memory does not grow with the fleet.
        keepResults: false,
        runId,
        tagColumns: flags.tagColumns,
        unused: flags.unused,
      },
    );
    spinner?.stop();
    const written = await writeRunSummary(deps.reports, summary, flags.target.kind === 'demo');
    const exitCode = runExitCode(written.summary, flags.target.kind === 'demo');
    if (flags.json) io.stdout.write(written.json);
    else
      io.stdout.write(demoAsOfNote(flags) + formatSummary(written.summary) + runMoneyLines(summary.prices));
    return exitCode;
  } finally {
    spinner?.stop();
  }
}
