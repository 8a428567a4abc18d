import type { STSClient } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { WcoError } from '../shared/errors.js';
import { credentialsProblem } from './credentials.js';

/** STS answered without an account: nothing can be attributed to one. */
export class AccountLookupError extends WcoError {
  override readonly name = 'AccountLookupError';
}

/**
 * The account of the credentials in use, from STS `GetCallerIdentity`: the
 * first call of a CLI run, so missing or refused credentials surface here.
 * @throws AwsCredentialsError when there are none or AWS refuses them.
 */
export async function callerAccount(client: STSClient): Promise<string> {
  let identity;
  try {
    identity = await client.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw credentialsProblem(error) ?? error;
  }
  if (!identity.Account) throw new AccountLookupError('STS GetCallerIdentity returned no account');
  return identity.Account;
}
