/**
 * One line of the month's unused list as the monthly summary shows it, read
 * back from `unused.csv` (amounts as decimal text, in `currency`).
 */
export interface UnusedListing {
  readonly workspaceId: string;
  readonly userName: string;
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
  readonly runningMode: string;
  /** ISO time, `never`, or blank when it could not be read. */
  readonly lastConnection: string;
  /** `UNUSED` or `UNKNOWN`. */
  readonly use: string;
  /** Blank when the use is unknown. */
  readonly monthsUnused: string;
  readonly currency: string;
  readonly monthlyWaste: string;
  /** What wco would do, or did: the first guard that stopped the removal, or `REMOVE`. */
  readonly verdict: string;
  readonly removalAction: string;
  readonly removalOutcome: string;
  readonly error: string;
}
