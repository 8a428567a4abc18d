import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The SQS record Lambda hands over for a message EventBridge put on the audit queue. */
export function sqsRecord(
  messageId: string,
  body: string,
  sentAt = new Date('2026-11-06T08:00:00Z'),
): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(sentAt.getTime()),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(sentAt.getTime() + 1000),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:wco-audit',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(records: readonly SQSRecord[]): SQSEvent {
  return { Records: [...records] };
}
