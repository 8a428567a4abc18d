import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../shared/log.js';
import { setupDependencies } from '../compose/setup-dependencies.js';
import { loadAuditConfig } from '../config/audit-config.js';
import { homeRegion } from '../config/home-region.js';
import type { AuditMessage } from '../audit/normalize-audit-message.js';
import { processAuditBatch } from '../audit/process-audit-batch.js';
import type { ObjectStore } from '../ports/object-store.js';
import { powertoolsLog } from './powertools-log.js';

export interface AuditHandlerDependencies {
  readonly store: ObjectStore;
  readonly log: Log;
}

/**
 * The SQS -> audit glue. Powertools' BatchProcessor is not used: it settles
 * each record on its own, while this design writes one object per partition
 * for many records at once, and a record's success is known only when its
 * partition's object is written. Mapping the failed partitions' message ids to
 * `batchItemFailures` ourselves is simpler and exact.
 */
export function createAuditHandler(deps: AuditHandlerDependencies) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const result = await processAuditBatch(deps.store, event.Records.map(toAuditMessage), deps.log);
    return { batchItemFailures: result.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** An SQS record as the audit sees it; `SentTimestamp` stays the same when the message is redelivered. */
export function toAuditMessage(record: SQSRecord): AuditMessage {
  const sent = Number(record.attributes.SentTimestamp);
  return {
    messageId: record.messageId,
    body: record.body,
    receivedAt: Number.isFinite(sent) ? new Date(sent) : new Date(),
  };
}

export type AuditLambdaHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

export interface AuditLambdaOptions {
  /** Default: `AUDIT_BUCKET` in the function's region (`homeRegion`), opened by `setupDependencies`. */
  readonly store?: ObjectStore;
  readonly logger?: Logger;
}

/**
 * Builds the audit Lambda's handler. The environment is validated here, at
 * cold start, so a bad deployment fails before any message is taken.
 * @throws ConfigError naming every bad variable.
 */
export function createAuditLambda(
  env: Readonly<Record<string, string | undefined>>,
  options: AuditLambdaOptions = {},
): AuditLambdaHandler {
  const config = loadAuditConfig(env);
  const logger = options.logger ?? new Logger({ serviceName: 'audit' });
  const log = powertoolsLog(logger);
  // The audit only writes to its bucket; the store is opened on the first batch and kept while warm.
  const openStore = async () =>
    (await setupDependencies({ kind: 'bucket', bucket: config.bucket, region: homeRegion(env) }, { env }))
      .store;
  let handle: ReturnType<typeof createAuditHandler> | undefined;
  return async (event, context) => {
    if (context) logger.addContext(context);
    handle ??= createAuditHandler({ store: options.store ?? (await openStore()), log });
    return handle(event);
  };
}
