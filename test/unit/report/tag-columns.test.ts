import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { WorkspaceResult } from '../../../src/app/workspace-result.js';
import type { UnreadScope } from '../../../src/app/report-ports.js';
import { StoredReports } from '../../../src/report/stored-reports.js';
import { reportKeys } from '../../../src/report/keys.js';
import { workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';

const asOf = new Date('2026-11-30T23:00:00Z');
const result = (workspaceId: string, tags: WorkspaceResult['tags']): WorkspaceResult => ({
  workspace: workspace({ workspaceId }),
  tags,
  idleTimeoutMinutes: 60,
  billableHours: 12,
  threshold: { hours: 85, source: 'default' },
  decision:
    tags === undefined
      ? { action: 'SKIP', reason: 'TAGS_UNAVAILABLE' }
      : { action: 'NONE', reason: 'UNDER_THRESHOLD' },
  outcome: 'NONE',
  newRunningMode: 'AUTO_STOP',
});
const rowsOf = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

/** A run's daily report as the run writes it: directory by directory, then the aggregate. */
async function writeDay(
  store: MemoryStore,
  results: readonly WorkspaceResult[],
  options: { readonly tagColumns?: readonly string[]; readonly unread?: readonly UnreadScope[] } = {},
): Promise<string> {
  const reports = new StoredReports(store);
  const day = { asOf, tagColumns: options.tagColumns };
  const directories = new Map<string, ReturnType<StoredReports['directory']>>();
  for (const result of results) {
    const { account, region, directoryId } = result.workspace;
    const id = `${account}/${region}/${directoryId}`;
    if (!directories.has(id)) directories.set(id, reports.directory({ account, region, directoryId }, day));
    directories.get(id)!.add(result);
  }
  const parts = await Promise.all([...directories.values()].map((rows) => rows.finish(true)));
  const kept = await reports.keepUnread(day, options.unread ?? []);
  await reports.writeAggregate({ ...day, monthEnd: false, parts: [...parts, ...kept.parts] });
  return (await store.get(reportKeys.dailyAggregated(asOf)))!;
}

describe('Daily report: --tag-columns / TAG_COLUMNS', () => {
  it('adds one column per tag key, after every standard column, with the exact value', async () => {
    // Act
    const body = await writeDay(
      new MemoryStore(),
      [
        result('ws-1', { CostCenter: '4200', Department: 'Finance, EMEA', costcenter: 'other case' }),
        result('ws-2', { Department: '=1+1' }),
        result('ws-3', undefined),
      ],
      { tagColumns: ['CostCenter', 'Department'] },
    );

    // Assert
    const header = body.split('\r\n')[0]!.split(',');
    expect(header.slice(-3)).toEqual(['attention_detail', 'tag:CostCenter', 'tag:Department']);
    const rows = rowsOf(body);
    // Keys are case-sensitive, as AWS stores them; a missing tag and unreadable tags are blank.
    expect(rows.map((row) => [row['tag:CostCenter'], row['tag:Department']])).toEqual([
      ['4200', 'Finance, EMEA'],
      ['', "'=1+1"],
      ['', ''],
    ]);
    expect(JSON.parse(rows[0]!.tags!)).toMatchObject({ CostCenter: '4200' });
  });

  it('writes no tag column unless asked', async () => {
    const body = await writeDay(new MemoryStore(), [result('ws-1', { CostCenter: '4200' })]);
    expect(body.split('\r\n')[0]).not.toContain('tag:');
  });

  it('keeps the tag columns of rows kept from an earlier run of the day', async () => {
    // Arrange: an earlier run wrote ws-1; this run cannot read its region
    const store = new MemoryStore();
    const tagColumns = ['CostCenter'];
    await writeDay(store, [result('ws-1', { CostCenter: '=4200' })], { tagColumns });

    // Act
    const body = await writeDay(
      store,
      [
        {
          ...result('ws-2', { CostCenter: '-13' }),
          workspace: workspace({ workspaceId: 'ws-2', region: 'eu-west-1' }),
        },
      ],
      { tagColumns, unread: [{ account: '111122223333', region: 'us-east-1' }] },
    );

    // Assert: a number stays a number; a kept formula is escaped once, not again on each rewrite
    const rows = rowsOf(body);
    expect(rows.map((row) => [row.workspace_id, row['tag:CostCenter'], row.evaluated])).toEqual([
      ['ws-2', '-13', 'yes'],
      ['ws-1', "'=4200", 'no'],
    ]);
  });
});
