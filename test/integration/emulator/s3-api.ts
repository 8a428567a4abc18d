import { createHash, randomUUID } from 'node:crypto';
import type { EmulatorState, StoredObject } from './emulator-config.js';
import { EmulatedOperation } from './emulator-config.js';
import type { WireRequest, WireResponse } from './wire.js';
import { ApiError, xmlEscape, xmlResponse } from './wire.js';

/** Which S3 operation a path-style request is. */
export function s3Operation(request: WireRequest): EmulatedOperation {
  const [, key] = splitPath(request.path);
  const { query } = request;
  if (key !== undefined && query.has('uploadId')) {
    if (request.method === 'PUT') return EmulatedOperation.UploadPart;
    if (request.method === 'POST') return EmulatedOperation.CompleteMultipartUpload;
    if (request.method === 'DELETE') return EmulatedOperation.AbortMultipartUpload;
  }
  if (request.method === 'POST' && key !== undefined && query.has('uploads'))
    return EmulatedOperation.CreateMultipartUpload;
  if (request.method === 'HEAD' && key === undefined) return EmulatedOperation.HeadBucket;
  if (request.method === 'GET' && key === undefined) return EmulatedOperation.ListObjectsV2;
  if (request.method === 'PUT' && key !== undefined) return EmulatedOperation.PutObject;
  if (request.method === 'GET' && key !== undefined) return EmulatedOperation.GetObject;
  if (request.method === 'DELETE' && key !== undefined) return EmulatedOperation.DeleteObject;
  throw new ApiError('NotImplemented', `${request.method} ${request.path} is not emulated`, 501);
}

/** `/bucket/a/b%20c.csv` -> `['bucket', 'a/b c.csv']`; `/bucket` or `/bucket/` -> `['bucket', undefined]`. */
function splitPath(path: string): [string, string | undefined] {
  const trimmed = path.replace(/^\//, '');
  const slash = trimmed.indexOf('/');
  if (slash < 0) return [decodeURIComponent(trimmed), undefined];
  const key = trimmed.slice(slash + 1);
  return [decodeURIComponent(trimmed.slice(0, slash)), key === '' ? undefined : decodeURIComponent(key)];
}

/** Bodies sent with `Content-Encoding: aws-chunked` (streamed uploads with a trailing checksum). */
function decodeBody(request: WireRequest): Buffer {
  if (!String(request.headers['content-encoding'] ?? '').includes('aws-chunked')) return request.body;
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = request.body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(request.body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    chunks.push(request.body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

/** S3's ETag of a single-part upload: the quoted MD5 of the body. */
function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/**
 * S3 conditional writes: `If-None-Match: *` fails with 412 when the key exists,
 * `If-Match: <etag>` with 412 when it holds another version and 404 when absent.
 */
function checkWriteConditions(request: WireRequest, stored: StoredObject | undefined): void {
  const ifNoneMatch = request.headers['if-none-match'];
  const ifMatch = request.headers['if-match'];
  if (ifNoneMatch !== undefined && stored !== undefined)
    throw new ApiError(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      412,
    );
  if (ifMatch !== undefined) {
    if (stored === undefined) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404);
    if (ifMatch !== etagOf(stored.body))
      throw new ApiError(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        412,
      );
  }
}

/** S3 REST-XML, path style: PutObject (conditional too), GetObject, DeleteObject, ListObjectsV2, HeadBucket. */
export function s3Api(
  state: EmulatorState,
  request: WireRequest,
  operation: EmulatedOperation,
): WireResponse {
  const [bucket, key] = splitPath(request.path);
  if (!state.buckets.has(bucket))
    throw new ApiError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, 404);
  switch (operation) {
    case EmulatedOperation.HeadBucket:
      return { status: 200, headers: { 'x-amz-bucket-region': request.region }, body: '' };
    case EmulatedOperation.CreateMultipartUpload:
    case EmulatedOperation.UploadPart:
    case EmulatedOperation.CompleteMultipartUpload:
    case EmulatedOperation.AbortMultipartUpload:
      return multipart(state, request, operation, bucket, key!);
    case EmulatedOperation.PutObject: {
      const objectKey = key!;
      refuseFailingWrite(state, objectKey);
      const once = Object.entries(state.faults.putObjectFailsOnce ?? {}).find(
        ([prefix, left]) => objectKey.startsWith(prefix) && left > 0,
      );
      if (once) {
        state.faults.putObjectFailsOnce![once[0]] = once[1] - 1;
        throw new ApiError('AccessDenied', `Access Denied for ${objectKey}`, 403);
      }
      const path = `${bucket}/${objectKey}`;
      checkWriteConditions(request, state.objects.get(path));
      const body = decodeBody(request);
      state.objects.set(path, {
        body,
        contentType: request.headers['content-type'],
        lastModified: new Date(),
      });
      return { status: 200, headers: { etag: etagOf(body) }, body: '' };
    }
    case EmulatedOperation.DeleteObject:
      state.objects.delete(`${bucket}/${key!}`);
      return { status: 204, headers: {}, body: '' };
    case EmulatedOperation.GetObject: {
      const stored = state.objects.get(`${bucket}/${key!}`);
      if (!stored) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404);
      return {
        status: 200,
        headers: {
          'content-type': stored.contentType ?? 'application/octet-stream',
          'last-modified': stored.lastModified.toUTCString(),
          etag: etagOf(stored.body),
        },
        body: stored.body,
      };
    }
    case EmulatedOperation.ListObjectsV2:
      return listObjects(state, bucket, request.query);
    default:
      throw new ApiError('NotImplemented', `${operation} is not emulated`, 501);
  }
}

function refuseFailingWrite(state: EmulatorState, objectKey: string): void {
  if (state.faults.putObjectFailsUnder?.some((prefix) => objectKey.startsWith(prefix)))
    throw new ApiError('AccessDenied', `Access Denied for ${objectKey}`, 403);
}

/** A multipart upload, as the SDK's `Upload` drives it: create, parts, complete (or abort). */
function multipart(
  state: EmulatorState,
  request: WireRequest,
  operation: EmulatedOperation,
  bucket: string,
  key: string,
): WireResponse {
  if (operation === EmulatedOperation.CreateMultipartUpload) {
    refuseFailingWrite(state, key);
    const uploadId = randomUUID();
    state.uploads.set(uploadId, {
      bucket,
      key,
      contentType: request.headers['content-type'],
      parts: new Map(),
    });
    return xmlResponse(
      `<InitiateMultipartUploadResult><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    );
  }
  const uploadId = request.query.get('uploadId') ?? '';
  const upload = state.uploads.get(uploadId);
  if (!upload || upload.bucket !== bucket || upload.key !== key)
    throw new ApiError('NoSuchUpload', 'The specified upload does not exist.', 404);
  switch (operation) {
    case EmulatedOperation.UploadPart: {
      refuseFailingWrite(state, key);
      const body = decodeBody(request);
      upload.parts.set(Number(request.query.get('partNumber')), body);
      return { status: 200, headers: { etag: etagOf(body) }, body: '' };
    }
    case EmulatedOperation.AbortMultipartUpload:
      state.uploads.delete(uploadId);
      return { status: 204, headers: {}, body: '' };
    default: {
      const numbers = [...request.body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map(
        (match) => Number(match[1]),
      );
      const parts = numbers.map((number) => upload.parts.get(number));
      if (numbers.length === 0 || parts.some((part) => part === undefined))
        throw new ApiError('InvalidPart', 'One or more of the specified parts could not be found.', 400);
      const body = Buffer.concat(parts as Buffer[]);
      state.uploads.delete(uploadId);
      state.objects.set(`${bucket}/${key}`, {
        body,
        contentType: upload.contentType,
        lastModified: new Date(),
      });
      const etag = `"${createHash('md5').update(body).digest('hex')}-${numbers.length}"`;
      return xmlResponse(
        `<CompleteMultipartUploadResult><Location>http://emulator/${xmlEscape(bucket)}/${xmlEscape(key)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
      );
    }
  }
}

function listObjects(state: EmulatorState, bucket: string, query: URLSearchParams): WireResponse {
  const prefix = query.get('prefix') ?? '';
  const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
  const token = query.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64').toString('utf8') : (query.get('start-after') ?? '');
  const keys = [...state.objects.keys()]
    .filter((path) => path.startsWith(`${bucket}/`))
    .map((path) => path.slice(bucket.length + 1))
    .filter((key) => key.startsWith(prefix) && key > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const stored = state.objects.get(`${bucket}/${key}`)!;
      return `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${stored.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(etagOf(stored.body))}</ETag><Size>${stored.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64')}</NextContinuationToken>`
    : '';
  return xmlResponse(
    `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
  );
}

export function s3Error(error: ApiError): WireResponse {
  return xmlResponse(
    `<Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message><RequestId>emulator</RequestId></Error>`,
    error.status,
  );
}
