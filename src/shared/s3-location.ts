/** `s3://bucket/key` -> its parts; `undefined` for a local path. */
export function parseS3Location(location: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}
