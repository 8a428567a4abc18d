import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetResourcesCommand, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import type { WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { DescribeTagsCommand } from '@aws-sdk/client-workspaces';
import pLimit from 'p-limit';
import type { Tags } from '../billing/index.js';
import type { Workspace } from '../ports/workspace.js';
import type { Read } from '../shared/read.js';
import { failed, ok } from '../shared/read.js';

/** The Tagging API's page maximum, and its maximum of ARNs per `ResourceARNList`. */
const RESOURCES_PER_PAGE = 100;

/**
 * The tags of every tagged WorkSpace in the client's region, by WorkSpace id,
 * in one paginated `GetResources` walk (100 per call instead of one call per
 * WorkSpace). A WorkSpace missing from the map has no tags. Rejects when the
 * walk fails.
 */
export async function readTagsInBulk(client: ResourceGroupsTaggingAPIClient): Promise<Map<string, Tags>> {
  const byWorkspace = new Map<string, Tags>();
  const pages = paginateGetResources(
    { client },
    { ResourceTypeFilters: ['workspaces:workspace'], ResourcesPerPage: RESOURCES_PER_PAGE },
  );
  for await (const page of pages)
    for (const mapping of page.ResourceTagMappingList ?? []) {
      const workspaceId = workspaceIdOfArn(mapping.ResourceARN ?? '');
      if (workspaceId) byWorkspace.set(workspaceId, toTags(mapping.Tags));
    }
  return byWorkspace;
}

/**
 * The tags of the given WorkSpaces, by WorkSpace id, with `GetResources` by
 * ARN (100 per call): what a shard task reads instead of walking its whole
 * region. A WorkSpace missing from the map has no tags. Rejects when a call fails.
 */
export async function readTagsOfWorkspaces(
  client: ResourceGroupsTaggingAPIClient,
  workspaces: readonly Workspace[],
): Promise<Map<string, Tags>> {
  const byWorkspace = new Map<string, Tags>();
  for (let start = 0; start < workspaces.length; start += RESOURCES_PER_PAGE) {
    const arns = workspaces.slice(start, start + RESOURCES_PER_PAGE).map(workspaceArn);
    // With ResourceARNList the API answers in one page (pagination parameters are refused).
    const answer = await client.send(new GetResourcesCommand({ ResourceARNList: arns }));
    for (const mapping of answer.ResourceTagMappingList ?? []) {
      const workspaceId = workspaceIdOfArn(mapping.ResourceARN ?? '');
      if (workspaceId) byWorkspace.set(workspaceId, toTags(mapping.Tags));
    }
  }
  return byWorkspace;
}

/** `arn:<partition>:workspaces:<region>:<account>:workspace/<id>` of a WorkSpace. */
export function workspaceArn(workspace: Pick<Workspace, 'region' | 'account' | 'workspaceId'>): string {
  return `arn:${partitionOf(workspace.region)}:workspaces:${workspace.region}:${workspace.account}:workspace/${workspace.workspaceId}`;
}

/** The AWS partition a region belongs to: `aws-cn` for China, `aws-us-gov` for GovCloud, else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:<partition>:workspaces:<region>:<account>:workspace/<id>` -> `<id>`. */
export function workspaceIdOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'workspaces') return undefined;
  const match = /^workspace\/(.+)$/.exec(parts.slice(5).join(':'));
  return match?.[1];
}

/** One WorkSpace's tags from `DescribeTags`, the authoritative per-resource read. */
export async function describeTags(client: WorkSpacesClient, workspaceId: string): Promise<Tags> {
  const response = await client.send(new DescribeTagsCommand({ ResourceId: workspaceId }));
  return toTags(response.TagList);
}

/** `DescribeTags` for each WorkSpace, `concurrency` at a time; each failure stays with its WorkSpace. */
export async function readTagsOneByOne(
  client: WorkSpacesClient,
  workspaceIds: readonly string[],
  concurrency: number,
): Promise<Map<string, Read<Tags>>> {
  const limit = pLimit(concurrency);
  const reads = await Promise.all(
    workspaceIds.map((id) =>
      limit(async (): Promise<Read<Tags>> => {
        try {
          return ok(await describeTags(client, id));
        } catch (error) {
          return failed(error);
        }
      }),
    ),
  );
  return new Map(workspaceIds.map((id, index) => [id, reads[index]!]));
}

function toTags(list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Tags {
  const tags: Record<string, string> = {};
  for (const tag of list ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return tags;
}

/** Unlisted WorkSpaces read with `DescribeTags` to check a bulk answer that lists some. */
export const SPOT_CHECKS = 5;

export interface CheckedTags {
  readonly tags: Map<string, Read<Tags>>;
  /** Why the bulk answer was not trusted for the WorkSpaces it did not list (they were read one by one). */
  readonly distrusted?: string | undefined;
}

/**
 * What checking one bulk answer has found so far. A run reads a region a
 * batch at a time against one region-wide answer: the spot check is made once
 * (on the first batch with unlisted WorkSpaces), and an answer found wanting
 * stays distrusted for the region's later batches.
 */
export interface TagCheck {
  spotChecked: boolean;
  distrusted?: string | undefined;
}

/**
 * The tags of `workspaceIds` from a bulk answer, checked before "not listed"
 * is read as "no tags". The Tagging API lists only tagged resources, but its
 * index can lag or leave resources out, and an emulator may list nothing (moto
 * answers an empty list for `workspaces:workspace`): a Skip_Convert WorkSpace
 * read as untagged would be planned for conversion. So when the answer lists
 * nothing at all, every WorkSpace is read with `DescribeTags`; when it lists
 * some, up to `SPOT_CHECKS` unlisted ones (spread over the list) are, and if
 * one of them has tags the rest of the unlisted are read too. A spot check that
 * fails proves nothing: that WorkSpace keeps the bulk answer.
 */
export async function checkBulkTags(
  client: WorkSpacesClient,
  workspaceIds: readonly string[],
  bulk: ReadonlyMap<string, Tags>,
  concurrency: number,
  check: TagCheck = { spotChecked: false },
): Promise<CheckedTags> {
  const tags = new Map<string, Read<Tags>>();
  const unlisted: string[] = [];
  for (const id of workspaceIds) {
    const listed = bulk.get(id);
    if (listed === undefined) unlisted.push(id);
    else tags.set(id, ok(listed));
  }
  if (unlisted.length === 0) return { tags };

  const known = check.distrusted;
  let checked = new Map<string, Read<Tags>>();
  if (known === undefined) {
    if (bulk.size === 0) {
      check.distrusted = 'the Tagging API listed no WorkSpace';
    } else if (!check.spotChecked) {
      check.spotChecked = true;
      checked = await readTagsOneByOne(client, spread(unlisted, SPOT_CHECKS), concurrency);
      const tagged = [...checked].filter(([, read]) => read.ok && Object.keys(read.value).length > 0);
      if (tagged.length > 0)
        check.distrusted = `the Tagging API did not list ${tagged.map(([id]) => id).join(', ')}, which ${tagged.length > 1 ? 'have' : 'has'} tags`;
    }
  }
  if (check.distrusted === undefined) {
    for (const id of unlisted) {
      const spot = checked.get(id);
      tags.set(id, spot?.ok ? spot : ok({}));
    }
    return { tags };
  }
  const rest = await readTagsOneByOne(
    client,
    unlisted.filter((id) => !checked.has(id)),
    concurrency,
  );
  for (const id of unlisted) tags.set(id, checked.get(id) ?? rest.get(id)!);
  // Said once per answer: later batches of a distrusted region are read one by one quietly.
  return { tags, distrusted: known === undefined ? check.distrusted : undefined };
}

/** Up to `count` items spread evenly over `items`, first and last included. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from(
    { length: count },
    (_, index) => items[Math.round((index * (items.length - 1)) / (count - 1))]!,
  );
}
