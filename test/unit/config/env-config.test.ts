import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/settings.js';
import { loadOptimizerConfig } from '../../../src/config/env-config.js';

const minimal = { REPORT_BUCKET: 'wco-reports-123456789012', AWS_REGION: 'eu-west-1' };

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadOptimizerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Function: loadOptimizerConfig', () => {
  it('applies the documented defaults, dry run on, regions from AWS_REGION', () => {
    // Act
    const config = loadOptimizerConfig(minimal);

    // Assert
    expect(config).toEqual({
      reportBucket: 'wco-reports-123456789012',
      regions: ['eu-west-1'],
      homeRegion: 'eu-west-1',
      dryRun: true,
      thresholdOverrides: {},
      defaultThreshold: 82,
      assumedTimeoutMinutes: 60,
      forceEndOfMonth: false,
      eventBusName: 'default',
      regionConcurrency: 4,
      modifyConcurrency: 8,
      shardsPerTask: 1,
      shardTaskConcurrency: 40,
      priceFile: undefined,
      priceList: false,
      accounts: { kind: 'own' },
      tagColumns: [],
      unused: { months: 2, removal: false, action: 'TERMINATE', maxPerRun: 10 },
    });
  });

  it('reads every variable', () => {
    // Arrange
    const env = {
      ...minimal,
      REGIONS: 'us-east-1, eu-central-1,us-east-1',
      DRY_RUN: 'false',
      THRESHOLDS: 'standard=90,POWER=95.5',
      DEFAULT_THRESHOLD: '70',
      ASSUMED_TIMEOUT_MINUTES: '120',
      FORCE_END_OF_MONTH: 'yes',
      EVENT_BUS_NAME: 'wco-bus',
      REGION_CONCURRENCY: '2',
      MODIFY_CONCURRENCY: '16',
      SHARDS_PER_TASK: '5',
      SHARD_TASK_CONCURRENCY: '100',
      PRICE_FILE: ' s3://wco-prices/finance/prices.csv ',
      PRICE_LIST: 'true',
      TAG_COLUMNS: ' CostCenter, Department,CostCenter,aws:cloudformation:stack-name',
      UNUSED_MONTHS: '3',
      TERMINATE_UNUSED: 'true',
      UNUSED_ACTION: 'AutoStop',
      MAX_REMOVALS_PER_RUN: '0',
    };

    // Act
    const config = loadOptimizerConfig(env);

    // Assert
    expect(config).toEqual({
      reportBucket: 'wco-reports-123456789012',
      regions: ['us-east-1', 'eu-central-1'],
      homeRegion: 'eu-west-1',
      dryRun: false,
      thresholdOverrides: { STANDARD: 90, POWER: 95.5 },
      defaultThreshold: 70,
      assumedTimeoutMinutes: 120,
      forceEndOfMonth: true,
      eventBusName: 'wco-bus',
      regionConcurrency: 2,
      modifyConcurrency: 16,
      shardsPerTask: 5,
      shardTaskConcurrency: 100,
      priceFile: 's3://wco-prices/finance/prices.csv',
      priceList: true,
      accounts: { kind: 'own' },
      tagColumns: ['CostCenter', 'Department', 'aws:cloudformation:stack-name'],
      unused: { months: 3, removal: true, action: 'TO_AUTO_STOP', maxPerRun: 0 },
    });
  });

  it('reads the accounts to optimize, with the member role and its external id', () => {
    // Act
    const listed = loadOptimizerConfig({
      ...minimal,
      ACCOUNTS: '222222222222, 111111111111,222222222222',
      EXTERNAL_ID: 'shared-secret-0123456789',
    });
    const discovered = loadOptimizerConfig({
      ...minimal,
      ORGANIZATION_UNIT: 'ou-ab12-cdef3456',
      EXCLUDE_ACCOUNTS: '444444444444',
      MEMBER_ROLE_NAME: 'wco-spoke',
    });

    // Assert
    expect(listed.accounts).toEqual({
      kind: 'list',
      accounts: ['222222222222', '111111111111'],
      memberRole: { roleName: 'wco-member', externalId: 'shared-secret-0123456789' },
    });
    expect(discovered.accounts).toEqual({
      kind: 'organization',
      parentId: 'ou-ab12-cdef3456',
      exclude: ['444444444444'],
      memberRole: { roleName: 'wco-spoke', externalId: undefined },
    });
    expect(loadOptimizerConfig({ ...minimal, ORGANIZATION: 'true' }).accounts).toMatchObject({
      kind: 'organization',
      parentId: undefined,
    });
  });

  it('takes the home region from REGIONS when AWS_REGION is not set', () => {
    // Act
    const config = loadOptimizerConfig({ REPORT_BUCKET: 'wco-reports', REGIONS: 'ap-south-1,eu-west-2' });

    // Assert
    expect(config.homeRegion).toBe('ap-south-1');
  });

  it('treats empty variables as unset', () => {
    // Act
    const config = loadOptimizerConfig({ ...minimal, DRY_RUN: '', REGIONS: ' ', DEFAULT_THRESHOLD: '' });

    // Assert
    expect(config.dryRun).toBe(true);
    expect(config.regions).toEqual(['eu-west-1']);
    expect(config.defaultThreshold).toBe(82);
  });

  it('returns a read-only object', () => {
    // Act
    const config = loadOptimizerConfig(minimal);

    // Assert
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.regions)).toBe(true);
    expect(Object.isFrozen(config.thresholdOverrides)).toBe(true);
  });

  it.each([
    ['REPORT_BUCKET', { AWS_REGION: 'eu-west-1' }],
    ['REPORT_BUCKET', { ...minimal, REPORT_BUCKET: 'My_Bucket' }],
    ['REPORT_BUCKET', { ...minimal, REPORT_BUCKET: '192.168.1.1' }],
    ['REPORT_BUCKET', { ...minimal, REPORT_BUCKET: 'a..b' }],
    ['REPORT_BUCKET', { ...minimal, REPORT_BUCKET: 'xn--bucket' }],
    ['REGIONS', { REPORT_BUCKET: 'wco-reports' }],
    ['REGIONS', { ...minimal, REGIONS: 'Europe' }],
    ['AWS_REGION', { ...minimal, AWS_REGION: 'moon-1' }],
    ['DRY_RUN', { ...minimal, DRY_RUN: 'maybe' }],
    ['THRESHOLDS', { ...minimal, THRESHOLDS: 'STANDARD:85' }],
    ['DEFAULT_THRESHOLD', { ...minimal, DEFAULT_THRESHOLD: '-1' }],
    ['ASSUMED_TIMEOUT_MINUTES', { ...minimal, ASSUMED_TIMEOUT_MINUTES: '90' }],
    ['FORCE_END_OF_MONTH', { ...minimal, FORCE_END_OF_MONTH: '2' }],
    ['EVENT_BUS_NAME', { ...minimal, EVENT_BUS_NAME: 'bad bus' }],
    ['REGION_CONCURRENCY', { ...minimal, REGION_CONCURRENCY: '0' }],
    ['MODIFY_CONCURRENCY', { ...minimal, MODIFY_CONCURRENCY: 'many' }],
    ['PRICE_FILE', { ...minimal, PRICE_FILE: 'data/sample-prices.csv' }],
    ['PRICE_FILE', { ...minimal, PRICE_FILE: 's3://wco-prices' }],
    ['PRICE_FILE', { ...minimal, PRICE_FILE: 's3://wco-prices/' }],
    ['PRICE_FILE', { ...minimal, PRICE_FILE: 's3://Not_A_Bucket/prices.csv' }],
    ['PRICE_LIST', { ...minimal, PRICE_LIST: 'sometimes' }],
    ['ACCOUNTS', { ...minimal, ACCOUNTS: '111111111111,12345' }],
    ['ACCOUNTS', { ...minimal, ACCOUNTS: '111111111111', ORGANIZATION: 'true' }],
    ['ORGANIZATION', { ...minimal, ORGANIZATION: 'all' }],
    ['ORGANIZATION_UNIT', { ...minimal, ORGANIZATION_UNIT: 'prod' }],
    ['EXCLUDE_ACCOUNTS', { ...minimal, ORGANIZATION: 'true', EXCLUDE_ACCOUNTS: 'x' }],
    ['EXCLUDE_ACCOUNTS', { ...minimal, EXCLUDE_ACCOUNTS: '111111111111' }],
    ['EXCLUDE_ACCOUNTS', { ...minimal, ACCOUNTS: '111111111111', EXCLUDE_ACCOUNTS: '111111111111' }],
    ['MEMBER_ROLE_NAME', { ...minimal, ACCOUNTS: '111111111111', MEMBER_ROLE_NAME: 'role/with/path' }],
    ['EXTERNAL_ID', { ...minimal, ACCOUNTS: '111111111111', EXTERNAL_ID: 'has spaces in it' }],
  ])('names %s when it is bad', (name, env) => {
    // Act
    const problems = problemsOf(env);

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it('lists every bad variable in one error', () => {
    // Arrange
    const env = { REPORT_BUCKET: 'UPPER', REGIONS: 'nowhere', DRY_RUN: 'perhaps', MODIFY_CONCURRENCY: '0' };

    // Act
    const problems = problemsOf(env);

    // Assert
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'REPORT_BUCKET',
      'REGIONS',
      'DRY_RUN',
      'MODIFY_CONCURRENCY',
    ]);
  });

  it.each([
    ['PRICE_FILE', { PRICE_FILE: '/var/task/prices.csv' }, 'must be an S3 location s3://bucket/key'],
    ['PRICE_LIST', { PRICE_LIST: 'on' }, 'must be true or false'],
  ])('explains what %s must be', (name, bad, message) => {
    // Act
    const problems = problemsOf({ ...minimal, ...bad });

    // Assert
    expect(problems).toEqual([expect.stringContaining(`${name}: ${message}`)]);
  });

  it('treats an empty PRICE_FILE as no price file (the deployment default)', () => {
    // Act
    const config = loadOptimizerConfig({ ...minimal, PRICE_FILE: '', PRICE_LIST: '' });

    // Assert
    expect(config.priceFile).toBeUndefined();
    expect(config.priceList).toBe(false);
  });
});

describe('Setting: TAG_COLUMNS', () => {
  it('refuses what cannot be a tag key, naming the variable', () => {
    expect(problemsOf({ ...minimal, TAG_COLUMNS: 'CostCenter,Cost*Center' })).toEqual([
      expect.stringMatching(/^TAG_COLUMNS: must be tag keys/),
    ]);
  });
});
