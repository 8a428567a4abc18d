import type { IncomingHttpHeaders } from 'node:http';

/** One parsed request, whatever the protocol. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** From the SigV4 credential scope. */
  readonly region: string;
  /** The signing name from the credential scope: `workspaces`, `monitoring`, `s3`, ... */
  readonly signingService: string;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

/** An error an emulated API answers; each protocol renders it its own way. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** `Credential=AKID/20261121/eu-west-1/workspaces/aws4_request` -> region and service. */
export function credentialScope(authorization: string | undefined): {
  region: string;
  service: string;
  accessKeyId: string;
} {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  if (!match) throw new ApiError('MissingAuthenticationToken', 'request is not signed with SigV4', 403);
  return { accessKeyId: match[1]!, region: match[2]!, service: match[3]! };
}

export function jsonResponse(value: unknown, contentType: string): WireResponse {
  return { status: 200, headers: { 'content-type': contentType }, body: JSON.stringify(value) };
}

/** awsJson1_0 / awsJson1_1 error; `queryCompatible` adds the header awsQuery-compatible clients read. */
export function jsonError(error: ApiError, contentType: string, queryCompatible = false): WireResponse {
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-errortype': error.code };
  if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};Sender`;
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function xmlResponse(xml: string, status = 200, headers: Record<string, string> = {}): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', ...headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`,
  };
}

/** A JSON body, or a ValidationException when it is not one. */
export function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ApiError('SerializationException', 'request body is not JSON');
  }
}

/** Pagination tokens are opaque to clients; here they are offsets. */
export const pageToken = {
  encode(offset: number): string {
    return Buffer.from(`o:${offset}`).toString('base64');
  },
  decode(token: unknown): number {
    if (token === undefined || token === null || token === '') return 0;
    const text = Buffer.from(String(token), 'base64').toString('utf8');
    const offset = Number(text.slice(2));
    if (!text.startsWith('o:') || !Number.isInteger(offset) || offset < 0)
      throw new ApiError('InvalidNextTokenException', `invalid pagination token ${String(token)}`);
    return offset;
  },
};

/** Validates a page size against the API's maximum. */
export function pageSize(value: unknown, maximum: number, name: string): number {
  if (value === undefined || value === null) return maximum;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > maximum)
    throw new ApiError(
      'ValidationException',
      `${name} must be between 1 and ${maximum}, got ${String(value)}`,
    );
  return size;
}
