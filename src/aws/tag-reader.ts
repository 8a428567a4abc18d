import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import type { WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { DescribeTagsCommand } from '@aws-sdk/client-workspaces';
import pLimit from 'p-limit';
import type { Tags } from '../billing/index.js';
import type { Read } from '../shared/read.js';
import { failed, ok } from '../shared/read.js';

/** The Tagging API's page maximum. */
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
