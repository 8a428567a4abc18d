import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../src/aws/s3-object-store.js';
import { summaryKeys } from '../../../src/report/keys.js';
import { loadPriceFile } from '../../../src/pricing/load-price-file.js';
import { testClients, useEmulator } from '../../helpers/aws-test-kit.js';
import { runCli } from '../../helpers/cli.js';
import { runNovember } from '../../helpers/month-fixture.js';

const BUCKET = 'finance-reports';
const emulator = useEmulator(() => ({ buckets: [BUCKET] }));

const storeOn = () => new S3ObjectStore(testClients()('us-east-1').s3, BUCKET);
const objectText = (key: string) =>
  emulator.current.state.objects.get(`${BUCKET}/${key}`)?.body.toString('utf8');

describe('Command: wco report --from s3:// on the local S3 emulator', () => {
  it('rebuilds the summary in the bucket from the stored daily reports', async () => {
    // Arrange: November's runs stored their reports in the bucket; then the summary was damaged
    const store = storeOn();
    await runNovember(store);
    const csv = objectText(summaryKeys.csv('2026-11'));
    const html = objectText(summaryKeys.html('2026-11'));
    await store.put(summaryKeys.csv('2026-11'), 'damaged', 'text/plain');
    await store.put(summaryKeys.html('2026-11'), 'damaged', 'text/plain');
    // Act
    const run = await runCli(['report', '--month', '2026-11', '--from', `s3://${BUCKET}`], {
      env: { AWS_ENDPOINT_URL: emulator.current.endpoint, AWS_REGION: 'us-east-1' },
    });
    // Assert
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The run's own figures, fixed (test/unit/app/monthly-summary.test.ts works them out): before,
    // after, saved this month, per month from next month on. The rebuild must then equal the run's file.
    expect(csv!.split('\n').find((line) => line.startsWith('total,TOTAL,,,,USD,'))).toContain(
      ',132.92,123.70,9.22,51.00,',
    );
    expect(objectText(summaryKeys.csv('2026-11'))).toBe(csv);
    expect(objectText(summaryKeys.html('2026-11'))).toBe(html);
    expect(emulator.current.state.objects.get(`${BUCKET}/${summaryKeys.html('2026-11')}`)?.contentType).toBe(
      'text/html; charset=utf-8',
    );
    expect(run.stdout).toContain(`wrote s3://${BUCKET}/reports/monthly/2026-11/summary.html`);
  });

  it('reads an s3:// price file through the object store', async () => {
    // Arrange
    await storeOn().put(
      'config/prices.csv',
      'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency\nus-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD\n',
      'text/csv',
    );
    // Act
    const table = await loadPriceFile(`s3://${BUCKET}/config/prices.csv`, () => storeOn());
    // Assert
    expect(table.size).toBe(1);
    await expect(loadPriceFile(`s3://${BUCKET}/config/absent.csv`, () => storeOn())).rejects.toThrow(
      /does not exist/,
    );
  });
});
