import type { STSClient } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { WcoError } from '../shared/errors.js';

/** STS answered without an account: nothing can be attributed to one. */
export class AccountLookupError extends WcoError {
  override readonly name = 'AccountLookupError';
}

/** The account of the credentials in use, from STS `GetCallerIdentity`. */
export async function callerAccount(client: STSClient): Promise<string> {
  const identity = await client.send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new AccountLookupError('STS GetCallerIdentity returned no account');
  return identity.Account;
}
