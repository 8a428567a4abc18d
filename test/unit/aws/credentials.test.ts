import { describe, expect, it } from 'vitest';
import { assertCredentials, AwsCredentialsError, credentialsProblem } from '../../../src/aws/credentials.js';
import { errorDisposition, ErrorDisposition } from '../../../src/shared/errors.js';

const named = (name: string, message = 'details') => Object.assign(new Error(message), { name });

describe('Function: credentialsProblem', () => {
  it('turns "no provider found" into bad input naming the credential chain', () => {
    const problem = credentialsProblem(
      named('CredentialsProviderError', 'Could not load credentials from any providers'),
    );
    expect(problem).toBeInstanceOf(AwsCredentialsError);
    expect(errorDisposition(problem)).toBe(ErrorDisposition.BAD_INPUT);
    expect(problem!.message).toMatch(
      /^no AWS credentials \(Could not load credentials from any providers\): .*AWS_ACCESS_KEY_ID.*AWS_PROFILE/,
    );
  });

  it.each([
    'ExpiredToken',
    'InvalidClientTokenId',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'UnrecognizedClientException',
  ])('turns AWS refusing the credentials (%s) into bad input that says to renew them', (name) => {
    expect(credentialsProblem(named(name))?.message).toMatch(
      new RegExp(`^AWS refused the credentials \\(${name}: details\\): renew them`),
    );
  });

  it.each([named('AccessDeniedException'), named('ThrottlingException'), new Error('x'), 'text'])(
    'leaves everything else alone (%s)',
    (error) => {
      expect(credentialsProblem(error)).toBeUndefined();
    },
  );
});

describe('Function: assertCredentials', () => {
  it('resolves when the chain gives credentials, and rejects with the clear message when it does not', async () => {
    await expect(
      assertCredentials({ config: { credentials: async () => ({ accessKeyId: 'a' }) } }),
    ).resolves.toBeUndefined();
    await expect(
      assertCredentials({
        config: { credentials: async () => Promise.reject(named('CredentialsProviderError')) },
      }),
    ).rejects.toBeInstanceOf(AwsCredentialsError);
  });
});
