import { ConfigError } from './settings.js';

/** How the hub reaches a member account: the role it assumes there, and the external id its trust policy asks for. */
export interface MemberRoleSettings {
  readonly roleName: string;
  /** A secret: never logged, never in a report. */
  readonly externalId: string | undefined;
}

/**
 * Which accounts a run optimizes. `own`: the account of the run's own
 * credentials, as a single-account deployment. `list`: the accounts named in
 * the settings. `organization`: the active accounts of the AWS Organization
 * (or of one OU), listed at the start of every run. In `list` and
 * `organization`, the hub's own account is read with its own credentials and
 * every other account through its member role.
 */
export type AccountSelection =
  | { readonly kind: 'own' }
  | {
      readonly kind: 'list';
      readonly accounts: readonly string[];
      readonly memberRole: MemberRoleSettings;
    }
  | {
      readonly kind: 'organization';
      /** An OU or root id: only its direct member accounts; every account of the organization when absent. */
      readonly parentId: string | undefined;
      readonly exclude: readonly string[];
      readonly memberRole: MemberRoleSettings;
    };

/** The account settings as parsed, before they are checked together; `names` are the user-facing setting names. */
export interface RawAccountSettings {
  readonly accounts: readonly string[] | undefined;
  readonly organization: boolean;
  readonly parentId: string | undefined;
  readonly exclude: readonly string[] | undefined;
  readonly memberRole: MemberRoleSettings;
}

export interface AccountSettingNames {
  readonly accounts: string;
  readonly organization: string;
  readonly parentId: string;
  readonly exclude: string;
}

/**
 * The run's accounts from settings that were each valid on their own; the
 * problems of settings that do not go together, each naming its setting.
 * @example accountSelection({ accounts: ['111111111111'], organization: false, parentId: undefined, exclude: undefined, memberRole }, names)
 *   // { kind: 'list', accounts: ['111111111111'], memberRole }
 */
export function accountSelection(raw: RawAccountSettings, names: AccountSettingNames): AccountSelection {
  const discover = raw.organization || raw.parentId !== undefined;
  const exclude = raw.exclude ?? [];
  if (raw.accounts !== undefined && discover)
    throw new ConfigError([
      `${names.accounts}: give either ${names.accounts} or ${names.organization}/${names.parentId}, not both`,
    ]);
  if (raw.accounts !== undefined) {
    const accounts = raw.accounts.filter((account) => !exclude.includes(account));
    if (accounts.length === 0)
      throw new ConfigError([`${names.exclude}: excludes every account of ${names.accounts}`]);
    return { kind: 'list', accounts, memberRole: raw.memberRole };
  }
  if (discover) return { kind: 'organization', parentId: raw.parentId, exclude, memberRole: raw.memberRole };
  if (raw.exclude !== undefined)
    throw new ConfigError([
      `${names.exclude}: applies to ${names.accounts} or ${names.organization} only; without them wco optimizes its own account`,
    ]);
  return { kind: 'own' };
}
