import type { Command } from 'commander';
import { z } from 'zod';
import { monthOf } from '../billing/index.js';
import { setupDependencies } from '../compose/setup-dependencies.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { parseSettings } from '../config/settings.js';
import { formatLedger, LedgerFormat } from '../report/ledger-format.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { monthSetting, s3BucketUrlSetting, storeTargetFor } from './store-target.js';

/** Raw option values as commander hands them over. */
export interface LedgerCommandOptions {
  readonly month?: string | undefined;
  readonly from?: string | undefined;
  readonly out?: string | undefined;
  readonly format?: string | undefined;
}

const ledgerOptionsSchema = z
  .object({
    '--month': monthSetting.optional(),
    '--from': s3BucketUrlSetting.optional(),
    '--out': z.string().trim().min(1, 'must name a folder').optional(),
    '--format': z
      .enum(Object.values(LedgerFormat) as [LedgerFormat, ...LedgerFormat[]], {
        error: `must be ${Object.values(LedgerFormat).join(', ')}`,
      })
      .default(LedgerFormat.TABLE),
  })
  .refine((options) => options['--from'] === undefined || options['--out'] === undefined, {
    path: ['--from'],
    message: 'give either --from s3://BUCKET or --out FOLDER, not both',
  });

/**
 * `wco ledger`: what wco changed in a month and whether each change reached the
 * audit trail, from the conversion ledger of a folder or bucket. Unreadable
 * entries are named on stderr and give exit 1, with everything readable printed.
 */
export async function ledgerCommand(raw: LedgerCommandOptions, io: CliIo): Promise<ExitCode> {
  const options = parseSettings(ledgerOptionsSchema, {
    '--month': raw.month,
    '--from': raw.from,
    '--out': raw.out,
    '--format': raw.format,
  });
  const month = options['--month'] ?? monthOf(io.now());
  const target = await storeTargetFor(options['--from'], options['--out'] ?? CONFIG_DEFAULTS.outDir, io);
  const { ledger } = await setupDependencies(target, { env: io.env });
  const { entries, problems } = await ledger.entriesOfMonth(month);
  io.stdout.write(formatLedger(month, entries, options['--format']));
  for (const problem of problems) io.stderr.write(`wco ledger: skipped ${problem}\n`);
  return problems.length > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
}

/** Adds `wco ledger` to the CLI; `--from` opens the bucket on the default credential chain. */
export function registerLedgerCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
): Command {
  return program
    .command('ledger')
    .description(
      "list a month's conversions from the ledger: their state, and whether each reached the audit trail",
    )
    .option('--month <YYYY-MM>', 'the month, like 2026-11 (default: the current UTC month)')
    .option('--from <s3-url>', 'read the ledger of this bucket, s3://BUCKET')
    .option('--out <folder>', `read the ledger of this folder (default ${CONFIG_DEFAULTS.outDir})`)
    .option('--format <format>', `${Object.values(LedgerFormat).join(', ')} (default table)`)
    .action(async (options: LedgerCommandOptions) => {
      setExitCode(await ledgerCommand(options, io));
    });
}
