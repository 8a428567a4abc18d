import type { Command } from 'commander';
import { z } from 'zod';
import { writeMonthlySummary } from '../app/write-monthly-summary.js';
import { formatMoney } from '../report/format.js';
import { setupDependencies } from '../compose/setup-dependencies.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { parseSettings, UsageError } from '../config/settings.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { monthSetting, s3BucketUrlSetting, storeTargetFor } from './store-target.js';

interface RawReportOptions {
  month?: string;
  from?: string;
  out?: string;
}

/**
 * `wco report --month YYYY-MM (--from s3://bucket | --out ./out)`: rebuilds the
 * month's `summary.csv` and `summary.html` from its stored daily reports and
 * writes them next to them, so finance can regenerate any past month.
 */
export function registerReportCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
): void {
  program
    .command('report')
    .description("rebuild a month's cost summary (summary.csv, summary.html) from its stored daily reports")
    .requiredOption('--month <YYYY-MM>', 'the month to summarize, like 2026-11')
    .option(
      '--from <s3-url>',
      'the reports are in this S3 bucket, s3://BUCKET (the summary is written there)',
    )
    .option(
      '--out <folder>',
      `the reports are in this local folder, the summary is written there (default ${CONFIG_DEFAULTS.outDir})`,
    )
    .action(async (raw: RawReportOptions) => {
      setExitCode(await reportCommand(raw, io));
    });
}

const reportOptionsSchema = z
  .object({
    '--month': monthSetting,
    '--from': s3BucketUrlSetting.optional(),
    '--out': z.string().trim().min(1, 'must name a folder').optional(),
  })
  .refine((options) => options['--from'] === undefined || options['--out'] === undefined, {
    path: ['--from'],
    message: 'give either --from s3://BUCKET or --out FOLDER, not both',
  });

async function reportCommand(raw: RawReportOptions, io: CliIo): Promise<ExitCode> {
  const options = parseSettings(reportOptionsSchema, {
    '--month': raw.month,
    '--from': raw.from,
    '--out': raw.out,
  });
  const month = options['--month'];
  const target = await storeTargetFor(options['--from'], options['--out'] ?? CONFIG_DEFAULTS.outDir, io);
  const { store, reports, ledger } = await setupDependencies(target, { env: io.env });
  if (!(await reports.hasMonth(month)))
    throw new UsageError(`no reports for ${month} under ${store.locate('reports/')} (wco run writes them)`);
  const { summary, written, failures } = await writeMonthlySummary(reports, month, { ledger });
  for (const failure of failures) io.stderr.write(`wco: ${failure.target}: ${failure.message}\n`);
  if (summary === undefined) return ExitCode.RUN_FAILED;
  const lines = [`Cost summary for ${month} (reports up to ${summary.snapshotAsOf})`];
  for (const figures of summary.money) {
    const usd = (amount: Parameters<typeof formatMoney>[1]) => formatMoney(figures.currency, amount);
    // Two figures, never added: this month's, and what the conversions save every month from next month on.
    lines.push(
      `  saved this month ${usd(figures.savingsThisMonth)} (not applied ${usd(figures.savingsThisMonthNotApplied)}); cost this month before ${usd(figures.costBefore)}, after ${usd(figures.costAfter)}`,
      `  saves per month from next month on ${usd(figures.savingsPerMonth)} (not applied ${usd(figures.savingsPerMonthNotApplied)})`,
    );
  }
  lines.push(
    `  ${summary.totals.workspaces} WorkSpaces, ${summary.totals.toAlwaysOn} -> AlwaysOn, ${summary.totals.toAutoStop} -> AutoStop, ${summary.totals.unpriced} without a price`,
  );
  // Chargeback: each account's share, when the month has more than one.
  if (new Set(summary.accounts.map((group) => group.account)).size > 1)
    for (const group of summary.accounts)
      lines.push(
        group.currency === ''
          ? `  account ${group.account}: ${group.totals.workspaces} WorkSpaces without a price`
          : `  account ${group.account}: ${group.totals.workspaces} WorkSpaces, saved ${formatMoney(group.currency, group.money.savingsThisMonth)} this month and ${formatMoney(group.currency, group.money.savingsPerMonth)} a month from next month on, cost after ${formatMoney(group.currency, group.money.costAfter)}`,
      );
  for (const note of summary.notes) lines.push(`  note: ${note}`);
  for (const key of written) lines.push(`  wrote ${store.locate(key)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return failures.length > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
}
