import { describe, expect, it } from 'vitest';
import type { UnusedRow } from '../../../src/app/unused/review-unused.js';
import { RemovalOutcome } from '../../../src/app/unused/review-unused.js';
import { money, RemovalAction, UnusedVerdict, UseStatus } from '../../../src/billing/index.js';
import {
  readUnusedReport,
  unusedKey,
  unusedListingOf,
  writeUnusedReport,
} from '../../../src/report/unused-report.js';
import { unusedSection } from '../../../src/report/unused-html.js';
import { UnusedLedger } from '../../../src/app/unused/unused-ledger.js';
import { workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';

const row = (
  id: string,
  overrides: Partial<UnusedRow> & { account?: string; region?: string; directoryId?: string } = {},
): UnusedRow => {
  const { account = '111111111111', region = 'eu-west-1', directoryId = 'd-1', ...rest } = overrides;
  return {
    workspace: workspace({ workspaceId: id, account, region, directoryId, userName: `user of ${id}` }),
    tags: { Owner: 'x' },
    lastConnection: Date.parse('2026-06-01T10:00:00Z'),
    review: { status: UseStatus.UNUSED, monthsUnused: 5 },
    wasted: { currency: 'USD', monthly: money('35') },
    verdict: UnusedVerdict.REPORT_ONLY,
    action: RemovalAction.TERMINATE,
    outcome: RemovalOutcome.NONE,
    newlyListed: false,
    ...rest,
  };
};

describe('Function: writeUnusedReport', () => {
  it('writes one row per WorkSpace, longest unused first, with what it wastes and what wco would do', async () => {
    // Arrange
    const store = new MemoryStore();

    // Act
    const written = await writeUnusedReport(
      store,
      '2026-11',
      [
        row('ws-b', { review: { status: UseStatus.UNUSED, monthsUnused: 2 } }),
        row('ws-a', {
          lastConnection: null,
          since: { at: Date.parse('2026-08-03T23:00:00Z'), source: 'FIRST_SEEN' },
        }),
        row('ws-c', {
          lastConnection: undefined,
          review: { status: UseStatus.UNKNOWN, monthsUnused: 0 },
          error: 'AccessDenied',
          wasted: undefined,
          verdict: UnusedVerdict.USE_UNKNOWN,
        }),
      ],
      [{ account: '111111111111', region: 'eu-west-1' }],
    );

    // Assert
    expect(written).toEqual({ written: [unusedKey('2026-11')], failures: [] });
    const records = await readUnusedReport(store, '2026-11');
    expect(
      records.map((record) => [
        record.workspace_id,
        record.last_connection,
        record.age_source,
        record.use,
        record.months_unused,
        record.monthly_waste,
        record.verdict,
      ]),
    ).toEqual([
      ['ws-a', 'never', 'FIRST_SEEN', 'UNUSED', '5', '35.00', 'REPORT_ONLY'],
      ['ws-b', '2026-06-01T10:00:00.000Z', '', 'UNUSED', '2', '35.00', 'REPORT_ONLY'],
      ['ws-c', '', '', 'UNKNOWN', '', '', 'USE_UNKNOWN'],
    ]);
    expect(records[2]!.error).toBe('AccessDenied');
  });

  it('keeps the stored rows of the regions and directories this run did not read', async () => {
    // Arrange: an earlier run listed WorkSpaces in two regions and two directories
    const store = new MemoryStore();
    await writeUnusedReport(
      store,
      '2026-11',
      [row('ws-old-1'), row('ws-old-2', { directoryId: 'd-2' }), row('ws-far', { region: 'us-east-1' })],
      [
        { account: '111111111111', region: 'eu-west-1' },
        { account: '111111111111', region: 'us-east-1' },
      ],
    );

    // Act: this run read eu-west-1 but not its d-2, and not us-east-1
    await writeUnusedReport(
      store,
      '2026-11',
      [row('ws-new')],
      [{ account: '111111111111', region: 'eu-west-1', unreadDirectories: ['d-2'] }],
    );

    // Assert
    const ids = (await readUnusedReport(store, '2026-11')).map((record) => record.workspace_id).sort();
    expect(ids).toEqual(['ws-far', 'ws-new', 'ws-old-2']);
  });

  it('overwrites nothing when the stored file cannot be read', async () => {
    // Arrange
    const store = new MemoryStore();
    await store.put(unusedKey('2026-11'), 'a,"b\r\n', 'text/csv');

    // Act
    const written = await writeUnusedReport(store, '2026-11', [row('ws-new')], []);

    // Assert
    expect(written.written).toEqual([]);
    expect(written.failures).toHaveLength(1);
    expect(store.objects.get(unusedKey('2026-11'))!.body).toBe('a,"b\r\n');
  });
});

describe('Function: unusedSection', () => {
  it('adds up the waste per currency, says how many are unknown, and escapes what it shows', async () => {
    // Arrange
    const store = new MemoryStore();
    await writeUnusedReport(
      store,
      '2026-11',
      [
        row('ws-a', { workspace: workspace({ workspaceId: 'ws-a', userName: '<b>eve</b>' }) }),
        row('ws-b', { wasted: { currency: 'USD', monthly: money('9.75') } }),
        row('ws-c', { review: { status: UseStatus.UNKNOWN, monthsUnused: 0 }, wasted: undefined }),
      ],
      [],
    );
    const listings = (await readUnusedReport(store, '2026-11')).map(unusedListingOf);

    // Act
    const html = unusedSection(listings);

    // Assert
    expect(html).toContain(
      '2 WorkSpace(s) unused, wasting USD 44.75 per month; 1 whose use could not be known',
    );
    expect(html).toContain('&lt;b&gt;eve&lt;/b&gt;');
    expect(html).not.toContain('<b>eve</b>');
    expect(unusedSection(undefined)).toBe('');
  });
});

describe('Reading what may not exist yet, as S3 answers without list permission', () => {
  /** A store whose reads of a missing key are refused (403), as S3's are without `s3:ListBucket`. */
  class StrictStore extends MemoryStore {
    override async get(key: string): Promise<string | undefined> {
      if (!this.objects.has(key)) throw new Error(`AccessDenied: ${key}`);
      return super.get(key);
    }
    override async read(key: string) {
      if (!this.objects.has(key)) throw new Error(`AccessDenied: ${key}`);
      return super.read(key);
    }
  }

  it('lists before it reads: the first unused.csv and the first unused ledger of a region are written', async () => {
    // Arrange
    const store = new StrictStore();

    // Act
    const written = await writeUnusedReport(store, '2026-11', [row('ws-a')], []);
    const ledger = await new UnusedLedger(store).open('111111111111', 'eu-west-1');

    // Assert
    expect(written.failures).toEqual([]);
    expect(ledger).toMatchObject({ records: new Map(), version: undefined });
  });
});
