import { z } from 'zod';

// S3's general purpose bucket naming rules; a name S3 would refuse must fail at start-up, not at the first report write.
const SHAPE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/** An S3 general purpose bucket name, e.g. `wco-reports-123456789012`. */
export const bucketNameSetting = z
  .string()
  .trim()
  .refine(
    (name) =>
      SHAPE.test(name) &&
      !name.includes('..') &&
      !IP_ADDRESS.test(name) &&
      !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
      !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix)),
    {
      error: (issue) =>
        `"${String(issue.input)}" is not a valid S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit`,
    },
  );
