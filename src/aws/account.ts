import type { STSClient } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

/** The account of the credentials in use, from STS `GetCallerIdentity`. */
export async function callerAccount(client: STSClient): Promise<string> {
  const identity = await client.send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new Error('STS GetCallerIdentity returned no account');
  return identity.Account;
}
