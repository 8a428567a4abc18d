import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand } from '@aws-sdk/client-s3';
import { errorMessage } from '../shared/errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import { StoreError } from '../ports/object-store.js';

/**
 * Reports and audit records in an S3 bucket, under the same keys and with the
 * same UTF-8 bytes as `LocalFolderStore` writes to a folder.
 */
export class S3ObjectStore implements ObjectStore {
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
}
