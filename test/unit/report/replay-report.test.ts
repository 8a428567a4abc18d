import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../../src/app/replay/replay.js';
import { replay } from '../../../src/app/replay/replay.js';
import { replayCsv, replayKeys, writeReplayReports } from '../../../src/report/replay-report.js';
import { replayHtml } from '../../../src/report/replay-html.js';
import { SimulatedHistorySource } from '../../../src/simulated/index.js';
import { MemoryDocumentStore } from '../../../src/store/memory-document-store.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { replaySettings, samplePrices } from '../app/replay/replay-world.js';

let result: ReplayResult;

beforeAll(async () => {
  result = await replay(
    {
      history: new SimulatedHistorySource({ seed: 9, count: 30 }),
      prices: await samplePrices(),
      ledgerStore: () => new MemoryDocumentStore(),
    },
    replaySettings('2026-10', '2026-11', { forecast: true }),
  );
});

describe('replay.csv', () => {
  it('has the columns finance asked for, one row per month and policy, then the totals', () => {
    const csv = replayCsv(result);
    expect(csv.split('\r\n')[0]).toBe(
      'month,policy,workspaces,cost,savings_vs_as_is,captured_share,regret,conversions,currency',
    );
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records.map((record) => `${record.month} ${record.policy}`)).toEqual(
      ['2026-10', '2026-11', 'TOTAL'].flatMap((month) =>
        ['as_is', 'wco', 'forecast', 'optimum'].map((policy) => `${month} ${policy}`),
      ),
    );
    for (const record of records) {
      for (const column of ['cost', 'savings_vs_as_is', 'regret'])
        expect(record[column]).toMatch(/^-?\d+\.\d{2}$/);
      expect(record.captured_share).toMatch(/^(-?\d+\.\d{4})?$/);
      expect(record.currency).toBe('USD');
    }
    const total = records.find((record) => record.month === 'TOTAL' && record.policy === 'optimum')!;
    expect(total.captured_share).toBe('1.0000');
    expect(total.regret).toBe('0.00');
  });

  it('is written with replay.html under reports/replay/<from>_<to>/', async () => {
    const store = new MemoryStore();
    const writes = await writeReplayReports(store, result);
    expect(writes.failures).toEqual([]);
    expect(writes.written).toEqual([
      'reports/replay/2026-10_2026-11/replay.csv',
      'reports/replay/2026-10_2026-11/replay.html',
    ]);
    expect(store.objects.get(replayKeys.html('2026-10', '2026-11'))!.contentType).toBe(
      'text/html; charset=utf-8',
    );
  });
});

describe('replay.html', () => {
  it('is one self-contained page: no script, no external resource, the chart inline', () => {
    const html = replayHtml(result);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
    expect(html).toContain('<svg class="chart"');
    for (const policy of ['As is', 'wco', 'Forecast', 'Optimum'])
      expect(html).toMatch(new RegExp(`class="end [a-z_]+"[^>]*>${policy} USD`));
    expect(html.match(/<polyline class="line /g)).toHaveLength(4);
  });

  it('escapes every value it shows', () => {
    const html = replayHtml({ ...result, notes: ['<script>alert("x")</script> & more'] });
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toContain('<script>');
  });

  it('says the figures are incomplete when part of the fleet could not be read', () => {
    const html = replayHtml({ ...result, problems: ['eu-west-1 region could not be read: AccessDenied'] });
    expect(html).toContain('Incomplete: eu-west-1 region could not be read: AccessDenied');
  });
});
