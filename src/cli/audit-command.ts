import type { Command } from 'commander';
import { z } from 'zod';
import { errorMessage } from '../shared/errors.js';
import { commaList, instantSetting, parseSettings } from '../config/settings.js';
import { EVENT_KINDS } from '../audit/audit-record.js';
import { AuditFormat, formatAuditRecords } from '../audit/audit-format.js';
import { queryAudit } from '../audit/audit-query.js';
import { AUDIT_PREFIX } from '../audit/audit-keys.js';
import { setupDependencies } from '../compose/setup-dependencies.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { s3BucketUrlSetting, storeTargetFor } from './store-target.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';

/** Raw option values as commander hands them over. */
export interface AuditCommandOptions {
  readonly from?: string | undefined;
  readonly out?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly workspace?: string | undefined;
  readonly kind?: string | undefined;
  readonly format?: string | undefined;
}

const BARE_DATE = /^\s*\d{4}-?\d{2}-?\d{2}\s*$/;

const auditOptionsSchema = z
  .object({
    '--from': s3BucketUrlSetting.optional(),
    '--out': z.string().trim().min(1, 'must name a folder').optional(),
    '--since': instantSetting.optional(),
    // A bare date means "through that day": the bound is the next midnight, exclusive.
    '--until': z
      .string()
      .transform((text, context) => {
        const parsed = instantSetting.safeParse(text);
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            context.addIssue({ code: 'custom', message: issue.message });
          return z.NEVER;
        }
        // A bare date means "through that day": the bound is the next midnight, exclusive.
        return BARE_DATE.test(text) ? new Date(parsed.data.getTime() + 86_400_000) : parsed.data;
      })
      .optional(),
    '--workspace': z
      .string()
      .trim()
      .regex(/^ws-[0-9a-z]+$/, 'must be a WorkSpace id, like ws-abc123def')
      .optional(),
    '--kind': commaList
      .pipe(
        z.array(z.enum(EVENT_KINDS, { error: `must be ${EVENT_KINDS.join(', ')} (or a comma list)` })).min(1),
      )
      .optional(),
    '--format': z
      .enum(Object.values(AuditFormat) as [AuditFormat, ...AuditFormat[]], {
        error: `must be ${Object.values(AuditFormat).join(', ')}`,
      })
      .default(AuditFormat.TABLE),
  })
  .refine((options) => options['--from'] === undefined || options['--out'] === undefined, {
    path: ['--from'],
    message: 'give either --from s3://BUCKET or --out FOLDER, not both',
  })
  .refine(
    (options) =>
      !options['--since'] ||
      !options['--until'] ||
      options['--since'].getTime() < options['--until'].getTime(),
    { path: ['--until'], message: 'must be after --since' },
  );

/**
 * `wco audit`: prints the audit records of a folder or bucket, newest first,
 * filtered by time, WorkSpace and kind. Bad input throws `ConfigError` or
 * `UsageError` (exit 2, printed by `main`); unreadable objects or lines are
 * named on stderr and give exit 1, with everything readable printed.
 */
export async function auditCommand(raw: AuditCommandOptions, io: CliIo): Promise<ExitCode> {
  const options = parseSettings(auditOptionsSchema, {
    '--from': raw.from,
    '--out': raw.out,
    '--since': raw.since,
    '--until': raw.until,
    '--workspace': raw.workspace,
    '--kind': raw.kind,
    '--format': raw.format,
  });
  const target = await storeTargetFor(options['--from'], options['--out'] ?? CONFIG_DEFAULTS.outDir, io);
  const { store } = await setupDependencies(target, { env: io.env });

  let result: Awaited<ReturnType<typeof queryAudit>>;
  try {
    result = await queryAudit(store, {
      since: options['--since'],
      until: options['--until'],
      workspaceId: options['--workspace'],
      kinds: options['--kind'],
    });
  } catch (error) {
    io.stderr.write(`wco audit: could not read ${store.locate(AUDIT_PREFIX)}: ${errorMessage(error)}\n`);
    return ExitCode.RUN_FAILED;
  }
  io.stdout.write(formatAuditRecords(result.records, options['--format']));
  for (const problem of result.problems) io.stderr.write(`wco audit: skipped ${problem}\n`);
  return result.problems.length > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
}

/**
 * Adds `wco audit` to the CLI. `--from` opens the bucket on the SDK's default
 * credential chain in `homeRegion` (the SDK is loaded only then).
 */
export function registerAuditCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
): Command {
  return program
    .command('audit')
    .description('print the audit records (logins, conversions, runs), newest first')
    .option('--from <s3-url>', 'read the audit records of this bucket, s3://BUCKET')
    .option('--out <folder>', `read the audit records of this folder (default ${CONFIG_DEFAULTS.outDir})`)
    .option('--since <time>', 'records at or after this time (ISO 8601 with a zone, or a date = 00:00 UTC)')
    .option('--until <time>', 'records before this time; a date includes that whole day')
    .option('--workspace <id>', 'only this WorkSpace, like ws-abc123def')
    .option('--kind <kind>', `only this kind: ${EVENT_KINDS.join(', ')} (or a comma list)`)
    .option('--format <format>', `${Object.values(AuditFormat).join(', ')} (default table)`)
    .action(async (options: AuditCommandOptions) => {
      setExitCode(await auditCommand(options, io));
    });
}
