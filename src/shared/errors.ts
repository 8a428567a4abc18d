/** An error as one line for people and logs: `Name: message`, or just the message of a plain `Error`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
