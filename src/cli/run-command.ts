import type { Command } from 'commander';
import { Option } from 'commander';
import ora from 'ora';
import { z } from 'zod';
import { DEFAULT_FALLBACK_THRESHOLD, thresholdPolicy } from '../billing/index.js';
import { runOptimizer } from '../app/run-optimizer.js';
import { runFailed } from '../app/run-summary.js';
import type { RunTarget } from '../app/setup-dependencies.js';
import { setupDependencies } from '../app/setup-dependencies.js';
import {
  hoursSetting,
  instantSetting,
  nonNegativeIntegerSetting,
  parseSettings,
  regionsSetting,
  thresholdOverridesSetting,
  timeoutMinutesSetting,
} from '../config/settings.js';
import { errorMessage } from '../shared/errors.js';
import { formatSummary } from './format-summary.js';
import type { CliIo } from './io.js';
import { ExitCode, UsageError } from './io.js';
import { assertWritableFolder } from './output-folder.js';
import { priceCatalogForRun } from './price-options.js';
import { runMoneyLines } from './run-money-lines.js';
import { stderrLog } from './stderr-log.js';

const DEFAULT_SEED = 42;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const runFlags = z.object({
  '--as-of': instantSetting.optional(),
  '--threshold': thresholdOverridesSetting,
  '--default-threshold': hoursSetting.optional(),
  '--assumed-timeout': timeoutMinutesSetting.optional(),
  '--seed': nonNegativeIntegerSetting.optional(),
  '--regions': regionsSetting.optional(),
  '--bucket': z.string().regex(BUCKET, 'must be an S3 bucket name').optional(),
  '--event-bus': z.string().min(1).optional(),
});

interface RawRunOptions {
  demo?: boolean;
  out?: string;
  bucket?: string;
  regions?: string;
  asOf?: string;
  apply?: boolean;
  endOfMonth?: boolean;
  threshold: string[];
  defaultThreshold?: string;
  assumedTimeout?: string;
  seed?: string;
  eventBus?: string;
  verbose?: boolean;
  prices?: string;
  priceList?: boolean;
}

/** `wco run`: evaluate the fleet, convert with --apply, write the reports, print a summary. */
export function registerRunCommand(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('run')
    .description(
      'evaluate every WorkSpace, convert the ones in the wrong mode (with --apply), write the reports',
    )
    .option('--demo', 'run on the embedded simulated fleet instead of AWS')
    .option('--out <folder>', 'write the reports to this local folder (the demo defaults to ./out)')
    .option('--bucket <name>', 'write the reports to this S3 bucket (AWS runs)')
    .option('--regions <list>', 'comma-separated AWS regions (default: AWS_REGION)')
    .option('--as-of <time>', 'evaluate as of this instant, ISO 8601 with a zone (default: now)')
    .option('--apply', 'change running modes (default: dry run, nothing changes)')
    .option('--end-of-month', 'evaluate as if it were the last day of the month')
    .addOption(
      new Option('--threshold <TYPE=HOURS>', 'threshold override for a compute type (repeatable)')
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([]),
    )
    .option(
      '--default-threshold <hours>',
      `threshold for compute types without one (default ${DEFAULT_FALLBACK_THRESHOLD})`,
    )
    .option('--assumed-timeout <minutes>', 'idle timeout assumed for ALWAYS_ON WorkSpaces (default 60)')
    .option('--seed <n>', `seed of the simulated fleet (default ${DEFAULT_SEED})`)
    .option('--event-bus <name>', 'EventBridge bus for conversion events (AWS runs; default "default")')
    .option(
      '--prices <file>',
      'price file, CSV or JSON, a path or s3://bucket/key (docs/finance.md; the demo uses the sample prices)',
    )
    .option('--price-list', 'ask the AWS Price List API for prices the price file does not have (AWS runs)')
    .option('--verbose', 'log every conversion and problem to stderr')
    .action(async (raw: RawRunOptions) => {
      setExitCode(await runCommand(raw, io));
    });
}

async function runCommand(raw: RawRunOptions, io: CliIo): Promise<ExitCode> {
  const flags = parseSettings(runFlags, {
    '--as-of': raw.asOf,
    '--threshold': raw.threshold,
    '--default-threshold': raw.defaultThreshold,
    '--assumed-timeout': raw.assumedTimeout,
    '--seed': raw.seed,
    '--regions': raw.regions,
    '--bucket': raw.bucket,
    '--event-bus': raw.eventBus,
  });
  const target = await resolveTarget(raw, flags, io);
  const asOf = flags['--as-of'] ?? io.now();
  const { deps, account } = await setupDependencies(target, asOf);
  const log = raw.verbose ? stderrLog(io.stderr) : undefined;
  const prices = await priceCatalogForRun(raw, target, deps.store, asOf, io, log);

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

  const spinner = io.stderr.isTTY ? ora({ text: 'Reading the fleet', stream: io.stderr }).start() : undefined;
  try {
    const { summary, results } = await runOptimizer(
      {
        ...deps,
        log,
        prices,
        onProgress: ({ regionsDone, regionsTotal, workspacesSeen }) => {
          if (spinner)
            spinner.text = `Evaluated ${regionsDone}/${regionsTotal} regions, ${workspacesSeen} WorkSpaces`;
        },
      },
      {
        asOf,
        dryRun: !raw.apply,
        forceMonthEnd: raw.endOfMonth ?? false,
        thresholds: thresholdPolicy(flags['--threshold'], flags['--default-threshold']),
        assumedTimeoutMinutes: flags['--assumed-timeout'] ?? 60,
        account,
      },
    );
    spinner?.stop();
    io.stdout.write(formatSummary(summary) + runMoneyLines(results));
    return runFailed(summary) || summary.problems.length > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
  } finally {
    spinner?.stop();
  }
}

async function resolveTarget(
  raw: RawRunOptions,
  flags: z.output<typeof runFlags>,
  io: CliIo,
): Promise<RunTarget> {
  if (raw.demo) {
    if (flags['--bucket'] || flags['--regions'])
      throw new UsageError('--demo runs on the simulated fleet: drop --bucket and --regions');
    return {
      kind: 'demo',
      seed: flags['--seed'] ?? DEFAULT_SEED,
      outDir: await assertWritableFolder(raw.out ?? './out'),
    };
  }
  if (flags['--seed'] !== undefined) throw new UsageError('--seed only applies to --demo');
  const regions =
    flags['--regions'] ??
    parseSettings(z.object({ AWS_REGION: regionsSetting }), {
      AWS_REGION: io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION,
    })['AWS_REGION'];
  if (flags['--bucket'] && raw.out) throw new UsageError('give either --bucket or --out, not both');
  if (!flags['--bucket'] && !raw.out)
    throw new UsageError('an AWS run needs --bucket <name> or --out <folder> for its reports');
  return {
    kind: 'aws',
    regions,
    bucket: flags['--bucket'],
    outDir: raw.out ? await assertWritableFolder(raw.out) : undefined,
    eventBusName: flags['--event-bus'] ?? 'default',
    env: io.env,
  };
}
