import { ErrorDisposition, WcoError } from '../shared/errors.js';

/** Where the SDK's default credential chain looks, in its order. */
export const CREDENTIAL_CHAIN =
  'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the default profile in ~/.aws (keys, SSO, a role), web identity, a container or instance role';

/** What AWS answers when it knows the caller's credentials to be wrong or stale. */
const REJECTED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'TokenRefreshRequired',
]);

/** The run has no usable AWS credentials: the person running it must fix that, retrying will not. */
export class AwsCredentialsError extends WcoError {
  override readonly name = 'AwsCredentialsError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
}

/**
 * An SDK error as a credentials problem a person can act on, or `undefined`
 * when it is something else. Works on the error's name only, so the SDK need
 * not be loaded to ask.
 */
export function credentialsProblem(error: unknown): AwsCredentialsError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'CredentialsProviderError')
    return new AwsCredentialsError(
      `no AWS credentials (${error.message.trim()}): wco uses the SDK's default chain: ${CREDENTIAL_CHAIN}`,
      { cause: error },
    );
  if (REJECTED.has(error.name))
    return new AwsCredentialsError(
      `AWS refused the credentials (${error.name}: ${error.message.trim()}): renew them; wco uses the SDK's default chain: ${CREDENTIAL_CHAIN}`,
      { cause: error },
    );
  return undefined;
}

/**
 * Resolves a client's credentials before its first call (no request is sent
 * for keys in the environment or a profile), so a missing chain is one clear
 * message instead of the first read failing.
 * @throws AwsCredentialsError
 */
export async function assertCredentials(client: {
  config: { credentials: () => Promise<unknown> };
}): Promise<void> {
  try {
    await client.config.credentials();
  } catch (error) {
    throw credentialsProblem(error) ?? error;
  }
}
