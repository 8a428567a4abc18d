import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMonthReports } from '../../../src/report/load-month-reports.js';
import { summarizeMonth } from '../../../src/app/monthly-summary.js';
import { summaryHtml } from '../../../src/report/summary-html.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { AWKWARD_USER, runNovember } from '../../helpers/month-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present)
  console.warn(`SKIPPED: ${CHROMIUM} is absent; install it with apt-get install -y chromium (CI does).`);

// Only the page itself is served (by route interception, on loopback); anything else it asks for is a leak.
const PAGE_URL = 'http://127.0.0.1:9/reports/monthly/2026-11/summary.html';

describe.skipIf(!present)('Function: summaryHtml in headless Chromium', () => {
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
    // Assert: headline
    await expect(page.locator('[data-figure="savings"] .value').textContent()).resolves.toBe('USD 30.87');
    await expect(page.locator('[data-figure="cost-before"] .value').textContent()).resolves.toBe(
      'USD 132.92',
    );
    await expect(page.locator('[data-figure="cost-after"] .value').textContent()).resolves.toBe('USD 102.05');
    await expect(page.locator('[data-figure="unpriced"] .value').textContent()).resolves.toBe('1');
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
    expect(requests).toEqual([PAGE_URL]);

    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/monthly-summary.png', fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: 'test-artifacts/monthly-summary-print.png', fullPage: true });
    await page.pdf({ path: 'test-artifacts/monthly-summary.pdf', format: 'A4' });
    expect(requests).toEqual([PAGE_URL]);
    await page.close();
  });
});
