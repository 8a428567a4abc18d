import type { PriceListRecording, RecordedPage } from '../../src/pricing/price-list-recording.js';

export interface GetProductsRequest {
  readonly ServiceCode?: string | undefined;
  readonly Filters?:
    readonly { readonly Type?: string; readonly Field?: string; readonly Value?: string }[] | undefined;
  readonly NextToken?: string | undefined;
}

/** The request's page is not in the recordings (an unknown `NextToken`). */
export class UnknownNextToken extends Error {}

/**
 * `GetProducts` answered from recordings, as `wco prices --record` saved them:
 * the query with the request's service code and exactly its filters (in any
 * order), the page after the one whose `NextToken` the request sends. A query
 * no recording holds has no products, as the API answers a filter that matches
 * nothing.
 */
export function answerGetProducts(
  recordings: readonly PriceListRecording[],
  request: GetProductsRequest,
): RecordedPage {
  const filterKey = (filters: GetProductsRequest['Filters']) =>
    (filters ?? [])
      .map((filter) => `${filter.Type}|${filter.Field}|${filter.Value}`)
      .sort()
      .join('\n');
  const wanted = filterKey(request.Filters);
  const query = recordings
    .flatMap((recording) => recording.queries)
    .find(
      (candidate) => candidate.serviceCode === request.ServiceCode && filterKey(candidate.filters) === wanted,
    );
  if (query === undefined) return { FormatVersion: 'aws_v1', PriceList: [] };
  if (request.NextToken === undefined) return query.pages[0] ?? { FormatVersion: 'aws_v1', PriceList: [] };
  const index = query.pages.findIndex((page) => page.NextToken === request.NextToken);
  const page = index < 0 ? undefined : query.pages[index + 1];
  if (page === undefined) throw new UnknownNextToken(`NextToken ${request.NextToken} is not valid`);
  return page;
}
