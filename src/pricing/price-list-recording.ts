/**
 * Raw `GetProducts` answers as `wco prices --record DIR` saves them, one file
 * per region: every query wco sent (its filters) with every page exactly as
 * the API answered it. The test emulator serves such a file back, so a
 * recording from a real account becomes a test fixture as it is.
 */

export interface PriceListFilter {
  readonly Type: string;
  readonly Field: string;
  readonly Value: string;
}

export interface RecordedPage {
  readonly FormatVersion?: string | undefined;
  readonly NextToken?: string | undefined;
  /** The product documents, as the JSON strings the API answers. */
  readonly PriceList: readonly string[];
}

export interface RecordedQuery {
  readonly serviceCode: string;
  readonly filters: readonly PriceListFilter[];
  readonly pages: readonly RecordedPage[];
}

export interface PriceListRecording {
  /** Where the recording comes from: the command, the account's endpoint, or, for a fixture, its sources. */
  readonly _comment: string;
  readonly recordedAt: string;
  readonly region: string;
  readonly queries: readonly RecordedQuery[];
}

/** `get-products_<region>.json` */
export function recordingFileName(region: string): string {
  return `get-products_${region}.json`;
}

/** The recording as the file's text: stable key order, one page per array element. */
export function formatRecording(recording: PriceListRecording): string {
  return `${JSON.stringify(recording, null, 2)}\n`;
}
