import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { WorkspaceProperties } from '@aws-sdk/client-workspaces';
import {
  CreateTagsCommand,
  CreateWorkspacesCommand,
  RegisterWorkspaceDirectoryCommand,
  WorkSpacesClient,
} from '@aws-sdk/client-workspaces';

export const MOTO_REGION = 'us-east-1';
const HOUR_MS = 3_600_000;

/** A WorkSpace to create in moto, and its connected hours (one 5-minute sample at :10 of each). */
export interface MotoWorkspace {
  readonly userName: string;
  readonly properties: WorkspaceProperties;
  readonly tags?: Record<string, string>;
  /** Given with `CreateTags` after creation rather than in `CreateWorkspaces`. */
  readonly laterTags?: Record<string, string>;
  readonly connectedHours: number;
}

const config = (endpoint: string) => ({
  region: MOTO_REGION,
  endpoint,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  maxAttempts: 1,
});

// moto picks the account from the access key in the Authorization header; it does not check signatures.
const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=testing/20261101/${MOTO_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** EC2's query protocol, for the VPC a directory needs (wco has no EC2 client of its own). */
async function ec2(endpoint: string, parameters: Record<string, string>): Promise<string> {
  const answer = await fetch(endpoint, {
    method: 'POST',
    body: new URLSearchParams({ Version: '2016-11-15', ...parameters }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: authorization('ec2') },
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`EC2 ${parameters.Action}: HTTP ${answer.status} ${text}`);
  return text;
}

/** A Simple AD directory (ds:CreateDirectory needs a VPC with subnets in two zones), registered with WorkSpaces. */
async function createDirectory(endpoint: string): Promise<string> {
  const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(
    await ec2(endpoint, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }),
  )![1]!;
  const subnet = async (cidr: string, zone: string) =>
    /<subnetId>(subnet-[0-9a-f]+)<\/subnetId>/.exec(
      await ec2(endpoint, { Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
    )![1]!;
  const subnets = [
    await subnet('10.0.1.0/24', `${MOTO_REGION}a`),
    await subnet('10.0.2.0/24', `${MOTO_REGION}b`),
  ];
  const answer = await fetch(endpoint, {
    method: 'POST',
    body: JSON.stringify({
      Name: 'corp.example.com',
      Password: 'Passw0rd!xyz',
      Size: 'Small',
      VpcSettings: { VpcId: vpcId, SubnetIds: subnets },
    }),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'DirectoryService_20150416.CreateDirectory',
      authorization: authorization('ds'),
    },
  });
  if (!answer.ok) throw new Error(`ds CreateDirectory: HTTP ${answer.status} ${await answer.text()}`);
  const { DirectoryId } = (await answer.json()) as { DirectoryId: string };
  await new WorkSpacesClient(config(endpoint)).send(new RegisterWorkspaceDirectoryCommand({ DirectoryId }));
  return DirectoryId;
}

/**
 * Creates a directory, the WorkSpaces, their tags, their `UserConnected`
 * samples from the first of `asOf`'s month, and the report bucket. Returns
 * the WorkSpace ids by user name.
 */
export async function seedMoto(
  endpoint: string,
  options: { workspaces: readonly MotoWorkspace[]; asOf: Date; bucket: string },
): Promise<{ directoryId: string; ids: Record<string, string> }> {
  const directoryId = await createDirectory(endpoint);
  const workspacesClient = new WorkSpacesClient(config(endpoint));
  const created = await workspacesClient.send(
    new CreateWorkspacesCommand({
      Workspaces: options.workspaces.map((workspace) => ({
        DirectoryId: directoryId,
        UserName: workspace.userName,
        BundleId: 'wsb-bh8rsxt14',
        WorkspaceProperties: workspace.properties,
        Tags: Object.entries(workspace.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    }),
  );
  if ((created.FailedRequests ?? []).length > 0) throw new Error(JSON.stringify(created.FailedRequests));
  const ids = Object.fromEntries(
    options.workspaces.map((workspace, index) => [
      workspace.userName,
      created.PendingRequests![index]!.WorkspaceId!,
    ]),
  );
  for (const workspace of options.workspaces)
    if (workspace.laterTags)
      await workspacesClient.send(
        new CreateTagsCommand({
          ResourceId: ids[workspace.userName],
          Tags: Object.entries(workspace.laterTags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );

  // Only the 1s, sparse: moto's GetMetricData costs grow with the points stored. Bodies of 10 KiB
  // and more are gzipped by the SDK, which moto's server cannot read: compression off.
  const cloudwatch = new CloudWatchClient({ ...config(endpoint), disableRequestCompression: true });
  const monthStart = Date.UTC(options.asOf.getUTCFullYear(), options.asOf.getUTCMonth(), 1);
  const data = options.workspaces.flatMap((workspace) =>
    Array.from({ length: workspace.connectedHours }, (_, hour) => ({
      MetricName: 'UserConnected',
      Dimensions: [{ Name: 'WorkspaceId', Value: ids[workspace.userName]! }],
      Timestamp: new Date(monthStart + hour * HOUR_MS + 10 * 60_000),
      Value: 1,
      Unit: 'Count' as const,
    })),
  );
  for (let index = 0; index < data.length; index += 1000)
    await cloudwatch.send(
      new PutMetricDataCommand({ Namespace: 'AWS/WorkSpaces', MetricData: data.slice(index, index + 1000) }),
    );

  await new S3Client({ ...config(endpoint), forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: options.bucket }),
  );
  return { directoryId, ids };
}

/** The body of an object in moto's S3, `undefined` when it is not there. */
export async function motoObject(endpoint: string, bucket: string, key: string): Promise<string | undefined> {
  try {
    const answer = await new S3Client({ ...config(endpoint), forcePathStyle: true }).send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    return await answer.Body!.transformToString('utf8');
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
