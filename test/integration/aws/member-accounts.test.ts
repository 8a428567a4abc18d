import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeWorkspacesCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import {
  listOrganizationAccounts,
  memberCredentials,
  memberRoleArn,
  sessionNameOf,
} from '../../../src/aws/member-accounts.js';
import { fastRetryStrategy, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';

const REGION = 'eu-west-1';
const emulator = useEmulator(() => ({
  account: '999999999999',
  regions: { [REGION]: { directories: [{ directoryId: 'd-hub' }], workspaces: workspacesOf('d-hub', 1) } },
  members: {
    '111111111111': {
      regions: {
        [REGION]: { directories: [{ directoryId: 'd-one' }], workspaces: workspacesOf('d-one', 2) },
      },
      externalId: 'shared-secret-0123456789',
    },
    '222222222222': {
      regions: {
        [REGION]: { directories: [{ directoryId: 'd-two' }], workspaces: workspacesOf('d-two', 3) },
      },
      externalId: 'shared-secret-0123456789',
    },
  },
  organization: [
    { id: '999999999999', parentId: 'r-root' },
    { id: '111111111111', parentId: 'ou-prod' },
    { id: '222222222222', parentId: 'ou-prod' },
    { id: '333333333333', parentId: 'ou-prod', state: 'SUSPENDED' },
    { id: '444444444444', parentId: 'ou-dev' },
  ],
  faults: { assumeRoleDeniedFor: ['555555555555'] },
}));

const role = { roleName: 'wco-member', externalId: 'shared-secret-0123456789' };
const workspacesIn = async (account: string, externalId = role.externalId) => {
  const client = new WorkSpacesClient({
    region: REGION,
    retryStrategy: fastRetryStrategy(),
    credentials: memberCredentials(account, { ...role, externalId }, { runId: 'run-1', stsRegion: REGION }),
  });
  const answer = await client.send(new DescribeWorkspacesCommand({}));
  return (answer.Workspaces ?? []).map((workspace) => workspace.DirectoryId);
};

describe('Function: memberCredentials (the emulator derives the account from the assumed credentials)', () => {
  it("reads each member account's own fleet with its role's credentials", async () => {
    // Act / Assert
    expect(await workspacesIn('111111111111')).toEqual(['d-one', 'd-one']);
    expect(await workspacesIn('222222222222')).toEqual(['d-two', 'd-two', 'd-two']);
    expect(emulator.current.calls.AssumeRole).toBe(2);
  });

  it('is refused without the right external id, and for an account whose role cannot be assumed', async () => {
    // Act / Assert
    await expect(workspacesIn('111111111111', 'wrong-secret-0123456789')).rejects.toThrow(
      /AccessDenied|not authorized/,
    );
    await expect(workspacesIn('555555555555')).rejects.toThrow(/AccessDenied|not authorized/);
  });
});

describe('Function: listOrganizationAccounts', () => {
  const client = () => new OrganizationsClient({ region: 'us-east-1', retryStrategy: fastRetryStrategy() });

  it('pages through every active account of the organization', async () => {
    // Act
    const accounts = await listOrganizationAccounts(client());

    // Assert
    expect(accounts).toEqual(['111111111111', '222222222222', '444444444444', '999999999999']);
    expect(emulator.current.calls.ListAccounts).toBe(3);
  });

  it('keeps to an OU and leaves out the excluded accounts', async () => {
    // Act
    const accounts = await listOrganizationAccounts(client(), {
      parentId: 'ou-prod',
      exclude: ['222222222222'],
    });

    // Assert
    expect(accounts).toEqual(['111111111111']);
  });
});

describe('Function: sessionNameOf / memberRoleArn', () => {
  it.each([
    ['run-1', 'wco-run-1'],
    ['lambda:6f1c2d3e-aaaa-bbbb-cccc-0123456789ab', 'wco-lambda-6f1c2d3e-aaaa-bbbb-cccc-0123456789ab'],
    ['x'.repeat(100), `wco-${'x'.repeat(60)}`],
  ])('%s -> %s', (runId, expected) => {
    // Assert
    expect(sessionNameOf(runId)).toBe(expected);
  });

  it.each([
    ['eu-west-1', 'arn:aws:iam::111111111111:role/wco-member'],
    ['cn-north-1', 'arn:aws-cn:iam::111111111111:role/wco-member'],
    ['us-gov-west-1', 'arn:aws-us-gov:iam::111111111111:role/wco-member'],
  ])('the role in %s is %s', (region, expected) => {
    // Assert
    expect(memberRoleArn('111111111111', 'wco-member', region)).toBe(expected);
  });
});
