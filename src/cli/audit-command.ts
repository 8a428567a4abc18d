import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { z } from 'zod';
import { errorMessage } from '../fleet/workspace.js';
import { ConfigError, instantSetting, parseSettings } from '../config/settings.js';
import { EVENT_KINDS } from '../audit/audit-record.js';
import { AuditFormat, formatAuditRecords } from '../audit/audit-format.js';
import { queryAudit } from '../audit/audit-query.js';
import type { ObjectStore } from '../store/object-store.js';
import { LocalFolderStore } from '../store/local-folder-store.js';

/** Where `wco audit` reads: a local folder (`--out`) or a bucket (`--from s3://…`). */
export type AuditSource =
  { readonly type: 'folder'; readonly folder: string } | { readonly type: 's3'; readonly bucket: string };

/** What the command needs from its surroundings, so tests can capture output and use an emulator. */
export interface AuditCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Receives the exit code: 0 done, 1 some objects or lines unreadable, 2 bad input. */
  readonly setExitCode: (code: number) => void;
  /** Opens the S3 bucket of `--from`; the default store for folders is `LocalFolderStore`. */
  readonly openBucket: (bucket: string) => ObjectStore;
}

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

const DEFAULT_FOLDER = './out';

const BARE_DATE = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

const auditOptionsSchema = z
  .object({
    '--from': z
      .string()
      .trim()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/?$/, 'must be s3://BUCKET, like s3://my-wco-reports')
      .transform((url) => url.replace(/^s3:\/\//, '').replace(/\/$/, ''))
      .optional(),
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
    '--kind': z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((kind) => kind.trim())
          .filter((kind) => kind !== ''),
      )
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
 * filtered by time, WorkSpace and kind. Resolves to the exit code.
 */
export async function runAuditCommand(raw: AuditCommandOptions, io: AuditCommandIo): Promise<number> {
  let options: z.output<typeof auditOptionsSchema>;
  try {
    options = parseSettings(auditOptionsSchema, {
      '--from': raw.from,
      '--out': raw.out,
      '--since': raw.since,
      '--until': raw.until,
      '--workspace': raw.workspace,
      '--kind': raw.kind,
      '--format': raw.format,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`wco audit: ${error.problems.join('; ')}\n`);
    return 2;
  }

  const source: AuditSource = options['--from']
    ? { type: 's3', bucket: options['--from'] }
    : { type: 'folder', folder: options['--out'] ?? DEFAULT_FOLDER };
  if (source.type === 'folder' && !(await isFolder(source.folder))) {
    io.stderr(`wco audit: --out: ${source.folder} is not a folder (run \`npm run demo\` first?)\n`);
    return 2;
  }
  const store = source.type === 's3' ? io.openBucket(source.bucket) : new LocalFolderStore(source.folder);

  try {
    const result = await queryAudit(store, {
      since: options['--since'],
      until: options['--until'],
      workspaceId: options['--workspace'],
      kinds: options['--kind'],
    });
    io.stdout(formatAuditRecords(result.records, options['--format']));
    for (const problem of result.problems) io.stderr(`wco audit: skipped ${problem}\n`);
    return result.problems.length > 0 ? 1 : 0;
  } catch (error) {
    io.stderr(`wco audit: could not read ${store.locate('audit/')}: ${errorMessage(error)}\n`);
    return 1;
  }
}

/** Adds `wco audit` to the CLI. */
export function registerAuditCommand(program: Command, io: AuditCommandIo): Command {
  return program
    .command('audit')
    .description('print the audit records (logins, conversions, runs), newest first')
    .addOption(new Option('--from <s3-url>', 'read the audit records of this bucket, s3://BUCKET'))
    .addOption(
      new Option('--out <folder>', `read the audit records of this folder (default ${DEFAULT_FOLDER})`),
    )
    .option('--since <time>', 'records at or after this time (ISO 8601 with a zone, or a date = 00:00 UTC)')
    .option('--until <time>', 'records before this time; a date includes that whole day')
    .option('--workspace <id>', 'only this WorkSpace, like ws-abc123def')
    .option('--kind <kind>', `only this kind: ${EVENT_KINDS.join(', ')} (or a comma list)`)
    .option('--format <format>', `${Object.values(AuditFormat).join(', ')} (default table)`)
    .action(async (options: AuditCommandOptions) => {
      io.setExitCode(await runAuditCommand(options, io));
    });
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
