/** The accounts of an AWS run; loaded with the SDK, from `aws.ts` only. */
import type { AwsFleetSourceOptions } from '../aws/aws-fleet-source.js';
import { AwsFleetSource } from '../aws/aws-fleet-source.js';
import { AwsModeSwitcher } from '../aws/aws-mode-switcher.js';
import { AwsUnusedWorkspaces } from '../aws/aws-unused-workspaces.js';
import type { AwsClientOptions, AwsClientsFor } from '../aws/clients.js';
import { awsClientsPerRegion, createOrganizationsClient } from '../aws/clients.js';
import { listOrganizationAccounts, memberCredentials, memberRoleArn } from '../aws/member-accounts.js';
import type { AccountSelection } from '../config/account-selection.js';
import type { AccountFleet, AccountFleets } from '../ports/account-fleet.js';
import { errorMessage, WcoError } from '../shared/errors.js';
import type { Log } from '../shared/log.js';

/** A member account's role could not be assumed: that account is not read this run. */
export class MemberAccountError extends WcoError {
  override readonly name = 'MemberAccountError';
}

export interface AccountFleetOptions {
  readonly selection: AccountSelection;
  readonly regions: readonly string[];
  /** Where STS and Organizations are asked. */
  readonly homeRegion: string;
  /** The account of the run's own credentials: read with them, never through a member role. */
  readonly hubAccount: string;
  /** The hub account's clients and fleet reader, shared by every run. */
  readonly hub: AccountFleet;
  readonly clientOptions: AwsClientOptions;
  readonly concurrency?:
    Pick<AwsFleetSourceOptions, 'describeTagsConcurrency' | 'metricConcurrency'> | undefined;
  readonly log?: Log | undefined;
}

/**
 * The run's accounts as `selection` says: the hub's own, the listed ones, or
 * the organization's (listed each run). Each member account gets its own
 * clients, whose credentials come from assuming its member role with the
 * run's id in the session name; the SDK's provider assumes it again before the
 * credentials expire.
 */
export function awsAccountFleets(options: AccountFleetOptions): AccountFleets {
  const { selection } = options;
  if (selection.kind === 'own') return () => Promise.resolve([options.hub]);
  return async (runId) => {
    const accounts =
      selection.kind === 'list'
        ? selection.accounts
        : await listOrganizationAccounts(
            createOrganizationsClient(options.homeRegion, options.clientOptions),
            {
              parentId: selection.parentId,
              exclude: selection.exclude,
            },
          );
    return accounts.map((account) =>
      account === options.hubAccount
        ? options.hub
        : memberFleet(account, runId, selection.memberRole, options),
    );
  };
}

function memberFleet(
  account: string,
  runId: string,
  role: Extract<AccountSelection, { kind: 'list' }>['memberRole'],
  options: AccountFleetOptions,
): AccountFleet {
  const credentials = memberCredentials(account, role, {
    runId,
    stsRegion: options.homeRegion,
    hubCredentials: options.clientOptions.credentials,
    retryStrategy: options.clientOptions.retryStrategy,
  });
  const clients: AwsClientsFor = awsClientsPerRegion({ ...options.clientOptions, credentials });
  const roleArn = memberRoleArn(account, role.roleName, options.homeRegion);
  return {
    account,
    fleet: new AwsFleetSource({
      ...options.concurrency,
      regions: options.regions,
      account,
      clients,
      log: options.log,
    }),
    switcher: new AwsModeSwitcher(clients),
    unused: new AwsUnusedWorkspaces(clients),
    reach: async () => {
      try {
        await credentials();
      } catch (error) {
        throw new MemberAccountError(
          `the member role ${roleArn} could not be assumed: ${errorMessage(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
