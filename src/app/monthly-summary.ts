import type { Money } from '../billing/index.js';
import { Action, isLastDayOfMonthUtc, money, Outcome, Reason, RunningMode } from '../billing/index.js';
import type { LedgerEntry } from './ledger/ledger-entry.js';
import { LedgerStatus } from './ledger/ledger-entry.js';
import type { ReportRow } from './report-row.js';
import { compareText } from '../shared/compare-text.js';

/**
 * The month in figures, from its conversion ledger and its stored daily reports (docs/finance.md):
 * - the **snapshot** is the month's latest report (the monthly aggregate, or
 *   the latest daily aggregate): WorkSpaces, hours, exemptions, errors, prices;
 * - **conversions** are every `APPLIED` conversion of the month's ledger (and
 *   of its daily reports, for conversions made before the ledger existed),
 *   plus the snapshot's conversions not applied (dry run, deferred, failed),
 *   kept apart: a lost or overwritten daily report cannot hide a conversion;
 * - **cost after** is the snapshot's projected month cost (less the savings of
 *   the conversions the snapshot run applied); **savings** add up the estimated
 *   savings of the month's applied conversions; **cost before** = after + savings.
 */
export interface MonthlySummary {
  readonly month: string;
  /** `as_of` of the snapshot run. */
  readonly snapshotAsOf: string;
  readonly totals: SummaryTotals;
  /**
   * By account and currency, for chargeback: the groups of each account added
   * up (region, directory and compute type blank), sorted by account.
   */
  readonly accounts: readonly SummaryGroup[];
  /** By account, region, directory, compute type and currency (blank: no price). */
  readonly groups: readonly SummaryGroup[];
  /** One figure set per currency (normally just USD). */
  readonly money: readonly CurrencyTotals[];
  readonly costByMode: readonly ModeCost[];
  readonly histograms: readonly HoursHistogram[];
  /** Applied in the month, then not applied in the snapshot; by date then WorkSpace. */
  readonly conversions: readonly Conversion[];
  readonly exemptions: readonly ReportRow[];
  readonly unpriced: readonly ReportRow[];
  /** The ten conversions with the biggest estimated savings. */
  readonly topSavings: readonly Conversion[];
  /**
   * What a reader must know before trusting the figures: a snapshot older than
   * the month's last day, a daily report the month-end run could not write.
   */
  readonly notes: readonly string[];
}

export interface SummaryTotals {
  readonly workspaces: number;
  readonly billableHours: number;
  readonly toAlwaysOn: number;
  readonly toAutoStop: number;
  /** Conversions decided in the snapshot but not applied (dry run, deferred, failed). */
  readonly notApplied: number;
  readonly exempt: number;
  readonly errors: number;
  readonly unpriced: number;
}

export interface CurrencyTotals {
  readonly currency: string;
  readonly costBefore: Money;
  readonly costAfter: Money;
  readonly savings: Money;
  /** What the snapshot's conversions that were not applied would save. */
  readonly savingsNotApplied: Money;
}

export interface SummaryGroup {
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
  readonly computeType: string;
  readonly currency: string;
  readonly totals: SummaryTotals;
  /** Zero amounts when the group has no price. */
  readonly money: CurrencyTotals;
}

export interface ModeCost {
  readonly currency: string;
  readonly runningMode: string;
  readonly workspaces: number;
  readonly cost: Money;
}

export interface HoursHistogram {
  readonly computeType: string;
  /** The most common threshold of the compute type in the snapshot. */
  readonly thresholdHours: number | undefined;
  readonly binHours: number;
  /** `bins[i]` counts `H` in `[i x binHours, (i + 1) x binHours)`, split by running mode. */
  readonly bins: readonly { readonly autoStop: number; readonly alwaysOn: number }[];
}

export interface Conversion {
  readonly row: ReportRow;
  readonly applied: boolean;
}

export interface StoredReport {
  readonly key: string;
  readonly rows: readonly ReportRow[];
}

export interface MonthReports {
  readonly month: string;
  readonly snapshot: StoredReport;
  /** Every daily aggregate of the month, oldest first: at least its applied conversions, all a summary takes from a day. */
  readonly days: readonly StoredReport[];
  /** The month's conversion ledger; absent for a store without one (reports from before the ledger). */
  readonly ledger?: readonly LedgerEntry[] | undefined;
  /** Notes of the run that builds the summary (e.g. its daily report could not be written). */
  readonly notes?: readonly string[] | undefined;
}

const isConversion = (row: ReportRow) =>
  row.action === Action.TO_ALWAYS_ON || row.action === Action.TO_AUTO_STOP;
const isError = (row: ReportRow) => row.action === Action.ERROR || row.outcome === Outcome.FAILED;
const isExempt = (row: ReportRow) => row.reason === Reason.EXEMPT_TAG;
const zero = money(0);

/**
 * Builds the month's summary from its stored reports.
 * @example summarizeMonth({ month: '2026-11', snapshot, days }).money[0].savings
 */
export function summarizeMonth(reports: MonthReports): MonthlySummary {
  const snapshot = reports.snapshot.rows;
  const applied = appliedConversions(reports.days, reports.ledger ?? []);
  const notApplied = snapshot
    .filter((row) => isConversion(row) && row.outcome !== Outcome.APPLIED)
    .map((row): Conversion => ({ row, applied: false }));
  const conversions = [...applied, ...notApplied];

  const groupKey = (row: ReportRow) =>
    [row.account, row.region, row.directoryId, row.computeType, row.currency].join('\u0000');
  const groups = new Map<string, { snapshot: ReportRow[]; conversions: Conversion[] }>();
  const groupOf = (row: ReportRow) => {
    const key = groupKey(row);
    const group = groups.get(key) ?? { snapshot: [], conversions: [] };
    groups.set(key, group);
    return group;
  };
  for (const row of snapshot) groupOf(row).snapshot.push(row);
  for (const conversion of conversions) groupOf(conversion.row).conversions.push(conversion);

  const summaryGroups: SummaryGroup[] = [...groups.values()]
    .map(({ snapshot: rows, conversions: converted }) => {
      const first = rows[0] ?? converted[0]!.row;
      return {
        account: first.account,
        region: first.region,
        directoryId: first.directoryId,
        computeType: first.computeType,
        currency: first.currency,
        totals: totalsOf(rows, converted),
        money: moneyOf(first.currency, rows, converted),
      };
    })
    .sort(compareGroups);

  const currencies = [...new Set(snapshot.map((row) => row.currency).filter((currency) => currency !== ''))];
  for (const conversion of conversions)
    if (conversion.row.currency !== '' && !currencies.includes(conversion.row.currency))
      currencies.push(conversion.row.currency);
  currencies.sort();

  return {
    month: reports.month,
    snapshotAsOf: snapshot[0]?.asOf ?? '',
    totals: totalsOf(snapshot, conversions),
    accounts: rollUp(summaryGroups, (group) => group.account).sort(
      (a, b) =>
        compareText(a.account, b.account) ||
        // Priced first, then the WorkSpaces without a price (blank currency).
        Number(a.currency === '') - Number(b.currency === '') ||
        compareText(a.currency, b.currency),
    ),
    groups: summaryGroups,
    money: currencies.map((currency) =>
      moneyOf(
        currency,
        snapshot.filter((row) => row.currency === currency),
        conversions.filter((conversion) => conversion.row.currency === currency),
      ),
    ),
    costByMode: costByMode(snapshot),
    histograms: histograms(snapshot),
    conversions,
    exemptions: snapshot.filter(isExempt),
    unpriced: snapshot.filter((row) => row.currency === ''),
    topSavings: conversions
      .filter((conversion) => conversion.row.estimatedMonthlySavings !== undefined)
      .sort(
        (a, b) =>
          b.row.estimatedMonthlySavings!.comparedTo(a.row.estimatedMonthlySavings!) ||
          compareText(a.row.workspaceId, b.row.workspaceId),
      )
      .slice(0, 10),
    notes: [...(reports.notes ?? []), ...snapshotNotes(reports.month, snapshot[0]?.asOf)],
  };
}

/** The snapshot of a finished month should be its last day's report; say so when it is not. */
function snapshotNotes(month: string, snapshotAsOf: string | undefined): string[] {
  if (snapshotAsOf === undefined || snapshotAsOf === '') return [];
  const asOf = new Date(snapshotAsOf);
  if (Number.isNaN(asOf.getTime()) || isLastDayOfMonthUtc(asOf)) return [];
  const day = snapshotAsOf.slice(0, 10);
  return [
    `The latest report of ${month} is from ${day}, not the month's last day: WorkSpaces, hours and costs are as of ${day}; conversions come from the conversion ledger and include every one applied in ${month}.`,
  ];
}

/** A conversion the ledger holds as `APPLIED`, as a report row. */
export function ledgerRow(entry: LedgerEntry): ReportRow {
  const amount = (text: string | undefined) => (text === undefined ? undefined : money(text));
  return {
    workspaceId: entry.workspaceId,
    account: entry.account,
    region: entry.region,
    directoryId: entry.directoryId,
    userName: entry.userName,
    computeType: entry.computeType,
    runningMode: entry.fromMode,
    newRunningMode: entry.toMode,
    billableHours: entry.billableHours,
    thresholdHours: entry.thresholdHours,
    thresholdSource: entry.thresholdSource,
    action: entry.action,
    reason: entry.reason,
    outcome: Outcome.APPLIED,
    asOf: entry.asOf,
    currency: entry.cost?.currency ?? '',
    costToDate: amount(entry.cost?.costToDate),
    projectedCurrentMode: amount(entry.cost?.projectedCurrentMode),
    projectedOtherMode: amount(entry.cost?.projectedOtherMode),
    estimatedMonthlySavings: amount(entry.cost?.estimatedMonthlySavings),
  };
}

/**
 * Every `APPLIED` conversion of the month, once per WorkSpace, action and day:
 * the ledger's first, then the daily reports' that the ledger does not hold
 * (conversions made before the ledger existed).
 */
function appliedConversions(days: readonly StoredReport[], ledger: readonly LedgerEntry[]): Conversion[] {
  const seen = new Set<string>();
  const conversions: Conversion[] = [];
  const fromLedger = ledger.filter((entry) => entry.status === LedgerStatus.APPLIED).map(ledgerRow);
  for (const row of [...fromLedger, ...days.flatMap((day) => day.rows)]) {
    if (!isConversion(row) || row.outcome !== Outcome.APPLIED) continue;
    const key = [row.workspaceId, row.action, row.asOf.slice(0, 10)].join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    conversions.push({ row, applied: true });
  }
  return conversions.sort(
    (a, b) => compareText(a.row.asOf, b.row.asOf) || compareText(a.row.workspaceId, b.row.workspaceId),
  );
}

function totalsOf(snapshot: readonly ReportRow[], conversions: readonly Conversion[]): SummaryTotals {
  const applied = conversions.filter((conversion) => conversion.applied);
  return {
    workspaces: snapshot.length,
    billableHours: snapshot.reduce((sum, row) => sum + (row.billableHours ?? 0), 0),
    toAlwaysOn: applied.filter((conversion) => conversion.row.action === Action.TO_ALWAYS_ON).length,
    toAutoStop: applied.filter((conversion) => conversion.row.action === Action.TO_AUTO_STOP).length,
    notApplied: conversions.length - applied.length,
    exempt: snapshot.filter(isExempt).length,
    errors: snapshot.filter(isError).length,
    unpriced: snapshot.filter((row) => row.currency === '').length,
  };
}

/** The month's cost of one snapshot row after its own run's decision (see `MonthlySummary`). */
function costAfter(row: ReportRow): Money {
  const current = row.projectedCurrentMode ?? zero;
  const appliedNow = isConversion(row) && row.outcome === Outcome.APPLIED;
  return appliedNow ? current.minus(row.estimatedMonthlySavings ?? zero) : current;
}

function moneyOf(
  currency: string,
  snapshot: readonly ReportRow[],
  conversions: readonly Conversion[],
): CurrencyTotals {
  const sum = (amounts: readonly Money[]) => amounts.reduce((total, amount) => total.plus(amount), zero);
  const priced = snapshot.filter((row) => row.currency === currency && currency !== '');
  const ofCurrency = conversions.filter(
    (conversion) => conversion.row.currency === currency && currency !== '',
  );
  const savingsOf = (converted: readonly Conversion[]) =>
    sum(converted.map((conversion) => conversion.row.estimatedMonthlySavings ?? zero));
  const costAfterTotal = sum(priced.map(costAfter));
  const savings = savingsOf(ofCurrency.filter((conversion) => conversion.applied));
  return {
    currency,
    costBefore: costAfterTotal.plus(savings),
    costAfter: costAfterTotal,
    savings,
    savingsNotApplied: savingsOf(ofCurrency.filter((conversion) => !conversion.applied)),
  };
}

function costByMode(snapshot: readonly ReportRow[]): ModeCost[] {
  const byMode = new Map<string, ModeCost>();
  for (const row of snapshot) {
    if (row.currency === '' || row.projectedCurrentMode === undefined) continue;
    const key = `${row.currency}|${row.newRunningMode}`;
    const previous = byMode.get(key) ?? {
      currency: row.currency,
      runningMode: row.newRunningMode,
      workspaces: 0,
      cost: zero,
    };
    byMode.set(key, {
      ...previous,
      workspaces: previous.workspaces + 1,
      cost: previous.cost.plus(costAfter(row)),
    });
  }
  return [...byMode.values()].sort(
    (a, b) => compareText(a.currency, b.currency) || compareText(a.runningMode, b.runningMode),
  );
}

const BIN_STEPS = [5, 10, 20, 25, 50, 100, 200, 250, 500];

function histograms(snapshot: readonly ReportRow[]): HoursHistogram[] {
  const byType = new Map<string, ReportRow[]>();
  for (const row of snapshot) {
    const convertible =
      row.runningMode === RunningMode.AUTO_STOP || row.runningMode === RunningMode.ALWAYS_ON;
    if (!convertible || row.billableHours === undefined) continue;
    byType.set(row.computeType, [...(byType.get(row.computeType) ?? []), row]);
  }
  return [...byType]
    .sort(([a], [b]) => compareText(a, b))
    .map(([computeType, rows]) => {
      const threshold = mostCommon(rows.map((row) => row.thresholdHours));
      const top = Math.max(threshold ?? 0, ...rows.map((row) => row.billableHours!));
      // About a dozen bars whatever the scale: hours run from 0 to 744.
      const binHours = BIN_STEPS.find((step) => (top + 1) / step <= 12) ?? 500;
      const bins = Array.from({ length: Math.floor(top / binHours) + 1 }, () => ({
        autoStop: 0,
        alwaysOn: 0,
      }));
      for (const row of rows) {
        const bin = bins[Math.floor(row.billableHours! / binHours)]!;
        if (row.runningMode === RunningMode.AUTO_STOP) bin.autoStop += 1;
        else bin.alwaysOn += 1;
      }
      return { computeType, thresholdHours: threshold, binHours, bins };
    });
}

function mostCommon(values: readonly (number | undefined)[]): number | undefined {
  const counts = new Map<number, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: number | undefined;
  for (const [value, count] of counts)
    if (best === undefined || count > counts.get(best)! || (count === counts.get(best)! && value < best))
      best = value;
  return best;
}

/**
 * The groups added up per `keyOf` and currency: one group each, named after
 * its account (`keyOf`'s value), region, directory and compute type blank.
 * @example rollUp(groups, (group) => group.account) // one group per account and currency
 */
export function rollUp(
  groups: readonly SummaryGroup[],
  keyOf: (group: SummaryGroup) => string,
): SummaryGroup[] {
  const sums = new Map<string, SummaryGroup>();
  for (const group of groups) {
    const key = `${keyOf(group)}\u0000${group.currency}`;
    const previous = sums.get(key);
    sums.set(
      key,
      previous === undefined
        ? { ...group, account: keyOf(group), region: '', directoryId: '', computeType: '' }
        : {
            ...previous,
            totals: addTotals(previous.totals, group.totals),
            money: {
              currency: group.currency,
              costBefore: previous.money.costBefore.plus(group.money.costBefore),
              costAfter: previous.money.costAfter.plus(group.money.costAfter),
              savings: previous.money.savings.plus(group.money.savings),
              savingsNotApplied: previous.money.savingsNotApplied.plus(group.money.savingsNotApplied),
            },
          },
    );
  }
  return [...sums.values()];
}

function addTotals(a: SummaryTotals, b: SummaryTotals): SummaryTotals {
  const keys = Object.keys(a) as (keyof SummaryTotals)[];
  return Object.fromEntries(keys.map((key) => [key, a[key] + b[key]])) as unknown as SummaryTotals;
}

function compareGroups(a: SummaryGroup, b: SummaryGroup): number {
  return (
    compareText(a.account, b.account) ||
    compareText(a.region, b.region) ||
    compareText(a.directoryId, b.directoryId) ||
    compareText(a.computeType, b.computeType) ||
    compareText(a.currency, b.currency)
  );
}
