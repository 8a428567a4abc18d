import { z } from 'zod';

/** The `source` and `detail-type` of the login event WorkSpaces clients send. */
export const WORKSPACES_EVENT_SOURCE = 'aws.workspaces';
export const WORKSPACES_ACCESS_DETAIL_TYPE = 'WorkSpaces Access';

/**
 * The EventBridge envelope, as a rule delivers it to an SQS target (the
 * message body is the whole event). `detail` is checked per detail-type.
 */
export const EventBridgeEnvelope = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown().refine((detail) => detail !== undefined, 'is missing'),
});
export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelope>;

/**
 * `detail` of `WorkSpaces Access`, per the WorkSpaces Administration Guide
 * ("Monitor your WorkSpaces using Amazon EventBridge"). The service emits it
 * best effort and for successful logins only (`actionType` is always
 * `successfulLogin`). `clientIpAddress` may be empty; `clientVersion` is
 * missing from events of older clients; `directoryId` comes as `d-…` or
 * `domain/d-…`, and for directories WorkSpaces manages itself (personal or
 * pools directories, the API's `wsd-[0-9a-z]{8,63}`) as `wsd-…`. Fields added
 * later are ignored rather than rejected.
 */
export const WorkSpacesAccessDetail = z.object({
  clientIpAddress: z.string(),
  actionType: z.string(),
  workspacesClientProductName: z.string(),
  loginTime: z.iso.datetime({ offset: true }),
  clientPlatform: z.string(),
  directoryId: z.string().regex(/(^|\/)(d|wsd)-[0-9A-Za-z]+$/, 'must be d-…, wsd-… or domain/d-…'),
  clientVersion: z.string().optional(),
  workspaceId: z.string().min(1),
});
export type WorkSpacesAccessDetail = z.infer<typeof WorkSpacesAccessDetail>;

/** `domain/d-123456789` -> `d-123456789`; `d-123456789` and `wsd-…` unchanged. */
export function normalizeDirectoryId(raw: string): string {
  return raw.slice(raw.lastIndexOf('/') + 1);
}
