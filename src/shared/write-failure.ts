/** Something a run had to write (a report, the events) and could not: where, and why. */
export interface WriteFailure {
  readonly target: string;
  readonly message: string;
}
