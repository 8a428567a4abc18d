import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { errorMessage } from '../shared/errors.js';
import type { DocumentStore, StoredDocument, StoredVersion, WriteAnswer } from '../ports/document-store.js';
import { compareText } from '../shared/compare-text.js';
import type { StreamingObjectStore } from '../ports/object-store.js';
import { StoreError } from '../ports/object-store.js';

const JSON_CONTENT_TYPE = 'application/json';
/** S3's smallest part of a multipart upload (but the last). */
const MIN_PART_BYTES = 5 * 1024 * 1024;

/**
 * Reports and audit records in an S3 bucket, under the same keys and with the
 * same UTF-8 bytes as `LocalFolderStore` writes to a folder. As a
 * `DocumentStore` (the conversion ledger) it writes with S3's conditional
 * writes: `If-None-Match: *` to create, `If-Match: <ETag>` to replace.
 * Large objects go up with the SDK's multipart `Upload`.
 */
export class S3ObjectStore implements StreamingObjectStore, DocumentStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw new StoreError(`could not write ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
  }

  /**
   * The SDK's `Upload`: one `PutObject` when the body fits in one 5 MiB part,
   * a multipart upload otherwise, one part in flight at a time so that memory
   * stays at about two parts per upload. A failed multipart upload is aborted.
   */
  async putStream(key: string, body: AsyncIterable<string>, contentType: string): Promise<void> {
    try {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: key, Body: Readable.from(body), ContentType: contentType },
        queueSize: 1,
        partSize: MIN_PART_BYTES,
      });
      await upload.done();
    } catch (error) {
      throw new StoreError(`could not write ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
  }

  async getStream(key: string): Promise<AsyncIterable<string> | undefined> {
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw new StoreError(`could not read ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
    return decodeText(response.Body as AsyncIterable<Uint8Array> | undefined, key, this.locate(key));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await response.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw new StoreError(`could not read ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: prefix },
      ))
        for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
    } catch (error) {
      throw new StoreError(`could not list ${this.locate(prefix)}: ${errorMessage(error)}`, prefix, {
        cause: error,
      });
    }
    return keys.sort();
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async listVersions(prefix: string): Promise<StoredVersion[]> {
    const versions: StoredVersion[] = [];
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: prefix },
      ))
        for (const item of page.Contents ?? [])
          if (item.Key !== undefined && item.ETag !== undefined)
            versions.push({ key: item.Key, version: item.ETag });
    } catch (error) {
      throw new StoreError(`could not list ${this.locate(prefix)}: ${errorMessage(error)}`, prefix, {
        cause: error,
      });
    }
    return versions.sort((a, b) => compareText(a.key, b.key));
  }

  async read(key: string): Promise<StoredDocument | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = (await response.Body?.transformToString('utf8')) ?? '';
      if (response.ETag === undefined)
        throw new StoreError(`GetObject answered without an ETag for ${this.locate(key)}`, key);
      return { body, version: response.ETag };
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw new StoreError(`could not read ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
  }

  async create(key: string, body: string): Promise<WriteAnswer> {
    return this.conditionalPut(key, body, { IfNoneMatch: '*' });
  }

  async replace(key: string, body: string, version: string): Promise<WriteAnswer> {
    return this.conditionalPut(key, body, { IfMatch: version });
  }

  async remove(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw new StoreError(`could not remove ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
  }

  private async conditionalPut(
    key: string,
    body: string,
    condition: { IfNoneMatch: string } | { IfMatch: string },
  ): Promise<WriteAnswer> {
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: JSON_CONTENT_TYPE,
          ...condition,
        }),
      );
      if (response.ETag === undefined)
        throw new StoreError(`PutObject answered without an ETag for ${this.locate(key)}`, key);
      return { written: true, version: response.ETag };
    } catch (error) {
      if (lostRace(error)) return { written: false };
      throw new StoreError(`could not write ${this.locate(key)}: ${errorMessage(error)}`, key, {
        cause: error,
      });
    }
  }
}

/**
 * 412 PreconditionFailed: the condition no longer holds (someone created or
 * changed the object). 409 ConditionalRequestConflict: another conditional
 * write to the key is in flight. 404 on `If-Match`: the object is gone. All
 * three mean "read again", never "failed".
 */
function lostRace(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    name === 'NoSuchKey' ||
    status === 412 ||
    status === 409
  );
}

/** UTF-8 text from a byte stream, a character split across two chunks included. */
async function* decodeText(
  body: AsyncIterable<Uint8Array> | undefined,
  key: string,
  where: string,
): AsyncIterable<string> {
  if (body === undefined) return;
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of body) yield decoder.decode(chunk, { stream: true });
  } catch (error) {
    throw new StoreError(`could not read ${where}: ${errorMessage(error)}`, key, { cause: error });
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
