/**
 * What an error means for whoever started wco: `BAD_INPUT` is theirs to fix (a
 * flag, a setting, a file they named, an event) and retrying will not help;
 * `RUN_FAILURE` is the run failing (a write, an outage). The CLI exits 2 or 1,
 * the Lambda logs which one it was.
 */
export const ErrorDisposition = {
  BAD_INPUT: 'bad-input',
  RUN_FAILURE: 'run-failure',
} as const;
export type ErrorDisposition = (typeof ErrorDisposition)[keyof typeof ErrorDisposition];

/**
 * The base of every wco error. Each subclass sets `name` to its own (a literal,
 * so that minified bundles keep it) and passes `{ cause }` on when it wraps
 * another error; bad-input subclasses override `disposition`.
 */
export class WcoError extends Error {
  override name = 'WcoError';
  readonly disposition: ErrorDisposition = ErrorDisposition.RUN_FAILURE;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The one classification of errors: a `WcoError` says what it is; anything
 * else (an SDK error, a bug) is a failure of the run.
 * @example errorDisposition(new ConfigError(['REGIONS: ...'])) // 'bad-input'
 */
export function errorDisposition(error: unknown): ErrorDisposition {
  return error instanceof WcoError ? error.disposition : ErrorDisposition.RUN_FAILURE;
}

/** An error as one line for people and logs: `Name: message`, or just the message of a plain `Error`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
