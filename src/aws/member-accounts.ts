import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { paginateListAccounts, paginateListAccountsForParent } from '@aws-sdk/client-organizations';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsClientOptions } from './clients.js';

/** How the hub reaches a member account: the role it assumes there, and its external id. */
export interface MemberRole {
  /** The role's name in every member account (`MEMBER_ROLE_NAME`, `--member-role`; default `wco-member`). */
  readonly roleName: string;
  /** The secret the member role's trust policy requires (`EXTERNAL_ID`, `--external-id`). Never logged. */
  readonly externalId?: string | undefined;
}

/** One hour: the member role's `MaxSessionDuration`; the SDK refreshes the credentials before they expire. */
export const MEMBER_SESSION_SECONDS = 3600;

/** Credentials are assumed again this long before they expire (the SDK clients' own margin). */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:iam::111111111111:role/wco-member` */
export function memberRoleArn(account: string, roleName: string, region: string): string {
  return `arn:${partitionOf(region)}:iam::${account}:role/${roleName}`;
}

/**
 * The session name CloudTrail shows in the member account: `wco-<run id>`,
 * cut to the 64 characters STS allows, with what STS refuses replaced.
 * @example sessionNameOf('lambda:6f1c...') // 'wco-lambda-6f1c...'
 */
export function sessionNameOf(runId: string): string {
  return `wco-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * Credentials of the member role in `account`, assumed from the hub's own
 * credentials (the default chain) with STS `AssumeRole`; the SDK's provider
 * caches them and assumes the role again before they expire, so a long run
 * never works with expired credentials. Rejects (when first used) if the role
 * cannot be assumed: the caller reports that account and goes on.
 */
export function memberCredentials(
  account: string,
  role: MemberRole,
  options: {
    readonly runId: string;
    readonly stsRegion: string;
    /** The hub's credentials that assume the role; default the SDK's default chain. */
    readonly hubCredentials?: AwsClientOptions['credentials'];
    readonly retryStrategy?: AwsClientOptions['retryStrategy'];
  },
): CredentialsProvider {
  return shareCredentials(
    fromTemporaryCredentials({
      ...(options.hubCredentials ? { masterCredentials: options.hubCredentials } : {}),
      params: {
        RoleArn: memberRoleArn(account, role.roleName, options.stsRegion),
        RoleSessionName: sessionNameOf(options.runId),
        DurationSeconds: MEMBER_SESSION_SECONDS,
        ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
      },
      clientConfig: {
        region: options.stsRegion,
        ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : {}),
      },
    }),
  );
}

type CredentialsProvider = ReturnType<typeof fromTemporaryCredentials>;

/**
 * One session for every client of an account: each SDK client caches the
 * credentials it is given on its own, so without this the WorkSpaces, Tagging
 * and CloudWatch clients of each region would each assume the role. Assumes it
 * again `REFRESH_BEFORE_EXPIRY_MS` before the session expires; a failure is not
 * kept (the next call tries again).
 */
export function shareCredentials(
  provider: CredentialsProvider,
  now: () => number = Date.now,
): CredentialsProvider {
  let current: ReturnType<CredentialsProvider> | undefined;
  let refreshAt = 0;
  return () => {
    if (current === undefined || now() >= refreshAt) {
      refreshAt = Number.POSITIVE_INFINITY;
      const pending = provider().then(
        (credentials) => {
          const expiry = credentials.expiration?.getTime();
          refreshAt = expiry === undefined ? Number.POSITIVE_INFINITY : expiry - REFRESH_BEFORE_EXPIRY_MS;
          return credentials;
        },
        (error: unknown) => {
          if (current === pending) current = undefined;
          throw error;
        },
      );
      current = pending;
    }
    return current;
  };
}

/** Where to find the accounts of an AWS Organization, and which to leave out. */
export interface OrganizationQuery {
  /** An OU or root id (`ou-...`, `r-...`): only its direct member accounts; all accounts when absent. */
  readonly parentId?: string | undefined;
  /** Account ids never optimized (`EXCLUDE_ACCOUNTS`). */
  readonly exclude?: readonly string[] | undefined;
}

/**
 * The active accounts of the organization (`ListAccounts`, or
 * `ListAccountsForParent` for an OU), every page, sorted, without the
 * excluded ones. Needs the management account or a delegated administrator.
 */
export async function listOrganizationAccounts(
  client: OrganizationsClient,
  query: OrganizationQuery = {},
): Promise<string[]> {
  const exclude = new Set(query.exclude ?? []);
  const pages =
    query.parentId === undefined
      ? paginateListAccounts({ client }, {})
      : paginateListAccountsForParent({ client }, { ParentId: query.parentId });
  const accounts: string[] = [];
  for await (const page of pages)
    for (const account of page.Accounts ?? []) {
      // `Status` is retired in favour of `State` (September 2026); read whichever the answer has.
      const state = account.State ?? account.Status;
      if (account.Id !== undefined && state === 'ACTIVE' && !exclude.has(account.Id))
        accounts.push(account.Id);
    }
  return [...new Set(accounts)].sort();
}
