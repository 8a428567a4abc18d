import type { Command } from 'commander';
import { resolve } from 'node:path';
import { checkedMonth } from '../report/load-month-reports.js';
import { writeMonthlySummary } from '../app/write-monthly-summary.js';
import { formatMoney } from '../report/format.js';
import { setupDependencies } from '../compose/setup-dependencies.js';
import type { StoreTarget } from '../compose/targets.js';
import { homeRegion } from '../config/home-region.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { UsageError } from '../config/settings.js';

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
    .option('--from <s3://bucket>', 'the reports are in this S3 bucket (the summary is written there)')
    .option('--out <folder>', 'the reports are in this local folder (the summary is written there)')
    .action(async (raw: RawReportOptions) => {
      setExitCode(await reportCommand(raw, io));
    });
}

async function reportCommand(raw: RawReportOptions, io: CliIo): Promise<ExitCode> {
  let month: string;
  try {
    month = checkedMonth(raw.month ?? '');
  } catch (error) {
    throw new UsageError(`--month: ${(error as Error).message}`, { cause: error });
  }
  const { store, reports, ledger } = await setupDependencies(targetOf(raw, io), { env: io.env });
  const { summary, written, failures } = await writeMonthlySummary(reports, month, { ledger });
  for (const failure of failures) io.stderr.write(`wco: ${failure.target}: ${failure.message}\n`);
  if (summary === undefined) return ExitCode.RUN_FAILED;
  const lines = [`Cost summary for ${month} (reports up to ${summary.snapshotAsOf})`];
  for (const figures of summary.money) {
    lines.push(
      `  saved ${formatMoney(figures.currency, figures.savings)}, not applied ${formatMoney(
        figures.currency,
        figures.savingsNotApplied,
      )}; cost before ${formatMoney(figures.currency, figures.costBefore)}, after ${formatMoney(
        figures.currency,
        figures.costAfter,
      )}`,
    );
  }
  lines.push(
    `  ${summary.totals.workspaces} WorkSpaces, ${summary.totals.toAlwaysOn} -> AlwaysOn, ${summary.totals.toAutoStop} -> AutoStop, ${summary.totals.unpriced} without a price`,
  );
  for (const note of summary.notes) lines.push(`  note: ${note}`);
  for (const key of written) lines.push(`  wrote ${store.locate(key)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return failures.length > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
}

function targetOf(raw: RawReportOptions, io: CliIo): StoreTarget {
  if ((raw.from === undefined) === (raw.out === undefined))
    throw new UsageError('give either --from s3://bucket or --out <folder>');
  if (raw.out !== undefined) return { kind: 'folder', folder: resolve(raw.out) };
  const bucket = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?$/.exec(raw.from!)?.[1];
  if (bucket === undefined) throw new UsageError(`--from: "${raw.from}" must be s3://<bucket>`);
  return { kind: 'bucket', bucket, region: homeRegion(io.env) };
}
