import type { Money } from '../billing/index.js';
import {
  Action,
  isLastDayOfMonthUtc,
  money,
  Outcome,
  ProjectionBasis,
  Reason,
  RunningMode,
} from '../billing/index.js';
import { AttentionReason } from './attention.js';
import type { LedgerEntry } from './ledger/ledger-entry.js';
import { LedgerStatus } from './ledger/ledger-entry.js';
import { workspaceCostOf } from './ledger/ledger-cost.js';
import type { ReportRow } from './report-row.js';
import type { UnusedListing } from './unused/unused-listing.js';
import { compareText } from '../shared/compare-text.js';

/**
 * The month in figures, from its conversion ledger and its stored daily reports (docs/finance.md):
 * - the **snapshot** is the month's latest report (the monthly aggregate, or
 *   the latest daily aggregate): WorkSpaces, hours, exemptions, errors, prices;
 * - **conversions** are every `APPLIED` conversion of the month's ledger (and
 *   of its daily reports, for conversions made before the ledger existed),
 *   plus the snapshot's conversions not applied (dry run, deferred, failed),
 *   kept apart: a lost or overwritten daily report cannot hide a conversion;
 * - **cost after** is the snapshot's projected month cost (less this month's
 *   savings of the conversions the snapshot run applied); **saved this month**
 *   adds up this month's savings of the month's applied conversions; **cost
 *   before** = after + saved this month. What they save **per month from next
 *   month on** (the run-rate) is a figure of its own, never added to this month's.
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
  /**
   * The groups added up per currency (account `TOTAL`), priced currencies
   * first, then the WorkSpaces with no price: together they count each
   * WorkSpace and conversion once.
   */
  readonly currencyTotals: readonly SummaryGroup[];
  /** One figure set per currency (normally just USD). */
  readonly money: readonly CurrencyTotals[];
  readonly costByMode: readonly ModeCost[];
  readonly histograms: readonly HoursHistogram[];
  /** Applied in the month, then not applied in the snapshot; by date then WorkSpace. */
  readonly conversions: readonly Conversion[];
  readonly exemptions: readonly ReportRow[];
  readonly unpriced: readonly ReportRow[];
  /** The ten conversions that save the most per month from next month on (else this month). */
  readonly topSavings: readonly Conversion[];
  /** Snapshot rows that need a person (`attention.ts`), by reason then WorkSpace. */
  readonly attention: readonly ReportRow[];
  /**
   * What a reader must know before trusting the figures: a snapshot older than
   * the month's last day, a daily report the month-end run could not write.
   */
  readonly notes: readonly string[];
  /** The month's unused WorkSpaces (longest unused first), as the latest review listed them; absent: no review. */
  readonly unused?: readonly UnusedListing[] | undefined;
}

export interface SummaryTotals {
  readonly workspaces: number;
  readonly billableHours: number;
  /** Applied in the month. */
  readonly toAlwaysOn: number;
  readonly toAutoStop: number;
  /** Conversions decided in the snapshot but not applied (dry run, deferred, failed), and by direction. */
  readonly notApplied: number;
  readonly toAlwaysOnNotApplied: number;
  readonly toAutoStopNotApplied: number;
  /** SKIP by reason. */
  readonly exempt: number;
  readonly tagsUnavailable: number;
  readonly unsupportedMode: number;
  /** Not decided (`METRICS_UNAVAILABLE`) plus conversions that `FAILED`. */
  readonly errors: number;
  readonly metricsUnavailable: number;
  readonly failed: number;
  readonly deferred: number;
  readonly unpriced: number;
  /** Priced WorkSpaces with no projection yet (too early in the month): outside cost before and after. */
  readonly unprojected: number;
}

export interface CurrencyTotals {
  readonly currency: string;
  readonly costBefore: Money;
  readonly costAfter: Money;
  /** This month's savings of the month's applied conversions. */
  readonly savingsThisMonth: Money;
  /** What they save per month from next month on: the run-rate, never added to this month's. */
  readonly savingsPerMonth: Money;
  /** The same two figures for the snapshot's conversions that were not applied. */
  readonly savingsThisMonthNotApplied: Money;
  readonly savingsPerMonthNotApplied: Money;
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
  /** The month's `unused.csv`; absent when no run reviewed unused WorkSpaces. */
  readonly unused?: readonly UnusedListing[] | undefined;
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
    currencyTotals: [...currencies, ''].flatMap((currency) => {
      const rows = snapshot.filter((row) => row.currency === currency);
      const converted = conversions.filter((conversion) => conversion.row.currency === currency);
      if (rows.length === 0 && converted.length === 0) return [];
      return [
        {
          account: 'TOTAL',
          region: '',
          directoryId: '',
          computeType: '',
          currency,
          totals: totalsOf(rows, converted),
          money: moneyOf(currency, rows, converted),
        },
      ];
    }),
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
      .filter((conversion) => biggestSaving(conversion.row) !== undefined)
      .sort(
        (a, b) =>
          biggestSaving(b.row)!.comparedTo(biggestSaving(a.row)!) ||
          compareText(a.row.workspaceId, b.row.workspaceId),
      )
      .slice(0, 10),
    attention: snapshot
      .filter((row) => row.attention !== '')
      .sort(
        (a, b) =>
          ATTENTION_ORDER.indexOf(a.attention) - ATTENTION_ORDER.indexOf(b.attention) ||
          compareText(a.account, b.account) ||
          compareText(a.region, b.region) ||
          compareText(a.workspaceId, b.workspaceId),
      ),
    notes: [
      ...(reports.notes ?? []),
      ...snapshotNotes(reports.month, snapshot[0]?.asOf),
      ...projectionNotes(snapshot),
    ],
    unused: reports.unused,
  };
}

const ATTENTION_ORDER: readonly string[] = Object.values(AttentionReason);

/** A conversion's lasting saving (per month from next month on), else this month's. */
const biggestSaving = (row: ReportRow): Money | undefined =>
  row.savingsPerMonthFromNextMonth ?? row.savingsThisMonth;

const isUnprojected = (row: ReportRow) => row.currency !== '' && row.projectionBasis === ProjectionBasis.NONE;

/** Early in a month a priced WorkSpace may have no projection: its cost is not in the totals. */
function projectionNotes(snapshot: readonly ReportRow[]): string[] {
  const count = snapshot.filter(isUnprojected).length;
  if (count === 0) return [];
  return [
    `${count} priced WorkSpace(s) have no projection yet (less than a week of the month has elapsed and last month has no usable report): their cost is left out of cost before and after.`,
  ];
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
  const figures = workspaceCostOf(entry.cost, entry.action)?.figures;
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
    costToDate: figures?.costToDate,
    projectedCurrentMode: figures?.projectedCurrentMode,
    projectedOtherMode: figures?.projectedOtherMode,
    estimatedMonthlySavings: figures?.estimatedMonthlySavings,
    savingsThisMonth: figures?.savingsThisMonth,
    savingsPerMonthFromNextMonth: figures?.savingsPerMonthFromNextMonth,
    projectedHours: figures?.projectedHours,
    projectionBasis: figures?.projectionBasis ?? '',
    attention: '',
    attentionDetail: '',
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
  const count = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length;
  const applied = conversions.filter((conversion) => conversion.applied);
  const pending = conversions.filter((conversion) => !conversion.applied);
  const inDirection = (action: string) => (conversion: Conversion) => conversion.row.action === action;
  const withReason = (reason: string) => (row: ReportRow) => row.reason === reason;
  return {
    workspaces: snapshot.length,
    billableHours: snapshot.reduce((sum, row) => sum + (row.billableHours ?? 0), 0),
    toAlwaysOn: count(applied, inDirection(Action.TO_ALWAYS_ON)),
    toAutoStop: count(applied, inDirection(Action.TO_AUTO_STOP)),
    notApplied: pending.length,
    toAlwaysOnNotApplied: count(pending, inDirection(Action.TO_ALWAYS_ON)),
    toAutoStopNotApplied: count(pending, inDirection(Action.TO_AUTO_STOP)),
    exempt: count(snapshot, isExempt),
    tagsUnavailable: count(snapshot, withReason(Reason.TAGS_UNAVAILABLE)),
    unsupportedMode: count(snapshot, withReason(Reason.UNSUPPORTED_MODE)),
    errors: count(snapshot, isError),
    metricsUnavailable: count(snapshot, (row) => row.action === Action.ERROR),
    failed: count(snapshot, (row) => row.outcome === Outcome.FAILED),
    deferred: count(snapshot, (row) => row.outcome === Outcome.DEFERRED),
    unpriced: count(snapshot, (row) => row.currency === ''),
    unprojected: count(snapshot, isUnprojected),
  };
}

/** The month's cost of one snapshot row after its own run's decision (see `MonthlySummary`). */
function costAfter(row: ReportRow): Money {
  const current = row.projectedCurrentMode ?? zero;
  const appliedNow = isConversion(row) && row.outcome === Outcome.APPLIED;
  // Only this month's saving comes off this month's cost: a switch to AutoStop changes next month's.
  return appliedNow ? current.minus(row.savingsThisMonth ?? zero) : current;
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
  const applied = ofCurrency.filter((conversion) => conversion.applied);
  const pending = ofCurrency.filter((conversion) => !conversion.applied);
  const thisMonth = (converted: readonly Conversion[]) =>
    sum(converted.map((conversion) => conversion.row.savingsThisMonth ?? zero));
  const perMonth = (converted: readonly Conversion[]) =>
    sum(converted.map((conversion) => conversion.row.savingsPerMonthFromNextMonth ?? zero));
  const costAfterTotal = sum(priced.map(costAfter));
  const savingsThisMonth = thisMonth(applied);
  return {
    currency,
    costBefore: costAfterTotal.plus(savingsThisMonth),
    costAfter: costAfterTotal,
    savingsThisMonth,
    savingsPerMonth: perMonth(applied),
    savingsThisMonthNotApplied: thisMonth(pending),
    savingsPerMonthNotApplied: perMonth(pending),
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
              savingsThisMonth: previous.money.savingsThisMonth.plus(group.money.savingsThisMonth),
              savingsPerMonth: previous.money.savingsPerMonth.plus(group.money.savingsPerMonth),
              savingsThisMonthNotApplied: previous.money.savingsThisMonthNotApplied.plus(
                group.money.savingsThisMonthNotApplied,
              ),
              savingsPerMonthNotApplied: previous.money.savingsPerMonthNotApplied.plus(
                group.money.savingsPerMonthNotApplied,
              ),
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
