import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMonthReports } from '../../../src/report/load-month-reports.js';
import { summarizeMonth } from '../../../src/app/monthly-summary.js';
import { summaryHtml } from '../../../src/report/summary-html.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { AWKWARD_USER, runNovember } from '../../helpers/month-fixture.js';
import { runCli } from '../../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);

// A missing browser fails the suite by name: a page test that skips itself would let CI pass untested.
describe('Chromium for the summary page', () => {
  it(`is installed at ${CHROMIUM}`, () => {
    expect(present, `${CHROMIUM} is absent: install it with apt-get install -y chromium (CI does)`).toBe(
      true,
    );
  });
});

// Only the page itself is served (by route interception, on loopback); anything else it asks for is a leak.
const PAGE_URL = 'http://127.0.0.1:9/reports/monthly/2026-11/summary.html';

describe.runIf(present)('Function: summaryHtml in headless Chromium', () => {
  let browser: Browser;
  let html: string;

  beforeAll(async () => {
    const store = new MemoryStore();
    await runNovember(store);
    html = summaryHtml(summarizeMonth(await loadMonthReports(store, '2026-11')));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the headline figures and the charts, and requests nothing but itself', async () => {
    // Arrange
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url === PAGE_URL)
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      else await route.abort();
    });
    // Act
    await page.goto(PAGE_URL, { waitUntil: 'load' });
    // Assert: headline, two savings figures never added (ws-heavy 9.22 in November; from December 29.35 + 21.65)
    await expect(page.locator('[data-figure="savings"] .value').textContent()).resolves.toBe('USD 9.22');
    await expect(page.locator('[data-figure="savings-per-month"] .value').textContent()).resolves.toBe(
      'USD 51.00',
    );
    await expect(page.locator('[data-figure="cost-after"] .value').textContent()).resolves.toBe('USD 123.70');
    await expect(page.locator('[data-figure="cost-after"] .detail').textContent()).resolves.toContain(
      'USD 132.92 before',
    );
    await expect(page.locator('[data-figure="exempt-unpriced"] .value').textContent()).resolves.toBe('1 / 1');
    // Charts drawn: cost by mode (two modes) and a histogram with bars and a threshold line
    expect(await page.locator('#cost-by-mode svg rect.bar').count()).toBe(2);
    expect(await page.locator('#histograms svg rect.bar').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#histograms svg line.threshold').count()).toBe(1);
    const barWidths = await page
      .locator('#cost-by-mode svg rect.bar')
      .evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().width));
    expect(Math.min(...barWidths)).toBeGreaterThan(10);
    // The awkward user name is text, not markup, and no script ran
    await expect(page.locator('#conversions').textContent()).resolves.toContain(AWKWARD_USER);
    expect(await page.locator('script, b').count()).toBe(0);
    // Tables filled
    expect(await page.locator('#top-savings tbody tr').count()).toBe(2);
    expect(await page.locator('#exemptions tbody tr').count()).toBe(1);
    expect(await page.locator('#unpriced tbody tr').count()).toBe(1);
    // The totals tables close with the TOTAL rows of summary.csv, and show what was not applied
    expect(await page.locator('#groups table.group-counts tr.total').count()).toBe(2);
    expect(await page.locator('#groups table.group-money tr.total').count()).toBe(1);
    await expect(page.locator('#groups table.group-counts thead').textContent()).resolves.toContain(
      'Not applied',
    );
    await expect(page.locator('#groups table.group-money thead').textContent()).resolves.toContain(
      'Not applied',
    );
    expect(requests).toEqual([PAGE_URL]);

    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/monthly-summary.png', fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: 'test-artifacts/monthly-summary-print.png', fullPage: true });
    await page.pdf({ path: 'test-artifacts/monthly-summary.pdf', format: 'A4' });
    expect(requests).toEqual([PAGE_URL]);
    await page.close();
  });

  describe('layout of the demo month (200 WorkSpaces, long names and AWS errors)', () => {
    let demoHtml: string;

    beforeAll(async () => {
      const out = await mkdtemp(join(tmpdir(), 'wco-html-'));
      const run = await runCli(['run', '--demo', '--apply', '--out', out, '--as-of', '2026-11-30T23:00:00Z']);
      expect(run.code).toBe(0);
      demoHtml = await readFile(join(out, 'reports/monthly/2026-11/summary.html'), 'utf8');
      await rm(out, { recursive: true, force: true });
    }, 120_000);

    /** How wide the page and each table are, and the ids a line break splits. */
    async function measure(width: number, media: 'screen' | 'print') {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.emulateMedia({ media });
      await page.setContent(demoHtml);
      const layout = {
        pageWidth: await page.locator('html').evaluate((html) => html.scrollWidth),
        // A table wider than its box scrolls inside it: that is overflow too.
        overflowing: await page
          .locator('.table-wrap')
          .evaluateAll((wraps) =>
            wraps
              .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
              .map((wrap) => `${wrap.closest('section')?.id}: ${wrap.scrollWidth} > ${wrap.clientWidth}`),
          ),
        brokenIds: await page
          .locator('.id')
          .evaluateAll((ids) =>
            ids.filter((id) => id.getClientRects().length > 1).map((id) => id.textContent),
          ),
        ids: await page.locator('#unpriced .id').count(),
      };
      await page.close();
      return layout;
    }

    it.each([
      ['a 1,280 px screen', 1280, 'screen'],
      // A4 is 210 mm wide; less the 14 mm margins of @page, 182 mm = 687 CSS px at 96 px per inch.
      ['A4 print', Math.floor((182 / 25.4) * 96), 'print'],
    ] as const)(
      'has no horizontal overflow on %s and breaks no id across lines',
      async (_label, width, media) => {
        // Act
        const layout = await measure(width, media);

        // Assert
        expect(layout.pageWidth).toBeLessThanOrEqual(width);
        expect(layout.overflowing).toEqual([]);
        expect(layout.brokenIds).toEqual([]);
        expect(layout.ids).toBeGreaterThan(0);
      },
    );
  });
});
