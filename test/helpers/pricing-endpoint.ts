import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPages {
  readonly pages: readonly { readonly PriceList?: readonly string[]; readonly NextToken?: string }[];
}

export interface PricingEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every GetProducts request body received, parsed. */
  readonly requests: Record<string, unknown>[];
  /** Answer every call with this HTTP status and error type instead (an outage). */
  failWith: { status: number; type: string } | undefined;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the Price List Query API (awsJson1_1,
 * `AWSPriceListService.GetProducts`), so the real SDK client serializes the
 * request and parses the answer. Answers from recorded pages keyed by
 * `regionCode|license`, paging by `NextToken`.
 */
export async function startPricingEndpoint(
  answers: Readonly<Record<string, RecordedPages>>,
): Promise<PricingEndpoint> {
  const requests: Record<string, unknown>[] = [];
  const endpoint: PricingEndpoint = {
    url: '',
    requests,
    failWith: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (request.headers['x-amz-target'] !== 'AWSPriceListService.GetProducts')
        return reply(400, {
          __type: 'UnknownOperationException',
          message: String(request.headers['x-amz-target']),
        });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      requests.push(body);
      if (endpoint.failWith)
        return reply(endpoint.failWith.status, {
          __type: endpoint.failWith.type,
          message: 'emulated outage',
        });
      const filters = (body.Filters ?? []) as { Field: string; Value: string }[];
      const value = (field: string) => filters.find((filter) => filter.Field === field)?.Value;
      const pages = answers[`${value('regionCode')}|${value('license')}`]?.pages ?? [{ PriceList: [] }];
      const index =
        body.NextToken === undefined
          ? 0
          : pages.findIndex((_, i) => pages[i - 1]?.NextToken === body.NextToken);
      return reply(200, { FormatVersion: 'aws_v1', ...pages[Math.max(0, index)] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(endpoint, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
