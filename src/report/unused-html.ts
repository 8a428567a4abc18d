import type { UnusedListing } from '../app/unused/unused-listing.js';
import { money } from '../billing/index.js';
import { compareText } from '../shared/compare-text.js';
import { esc, formatMoney } from './format.js';
import { table } from './summary-tables.js';

/**
 * `summary.html`'s unused section: the month's unused WorkSpaces with what
 * they waste per month, what wco would do with each (or did), and the
 * WorkSpaces whose use could not be known, ending with a line break. Empty
 * (no line at all) when no run reviewed.
 */
export function unusedSection(listings: readonly UnusedListing[] | undefined): string {
  if (listings === undefined) return '';
  const unused = listings.filter((listing) => listing.use === 'UNUSED');
  const unknown = listings.length - unused.length;
  const waste = new Map<string, ReturnType<typeof money>>();
  for (const listing of unused)
    if (listing.currency !== '' && listing.monthlyWaste !== '')
      waste.set(
        listing.currency,
        (waste.get(listing.currency) ?? money(0)).plus(money(listing.monthlyWaste)),
      );
  const wasted = [...waste]
    .sort(([a], [b]) => compareText(a, b))
    .map(([currency, amount]) => formatMoney(currency, amount))
    .join(' + ');
  const lead = `${unused.length} WorkSpace(s) unused${wasted ? `, wasting ${wasted} per month` : ''}${
    unknown > 0 ? `; ${unknown} whose use could not be known (never removed)` : ''
  }.`;
  const body =
    listings.length === 0
      ? '<p class="empty">No WorkSpace is unused.</p>'
      : table(
          [
            'WorkSpace',
            'User',
            'Account',
            'Mode',
            'Last connection',
            '#Months unused',
            '#Per month',
            'What wco does',
          ],
          listings.map((listing) =>
            [
              `<tr><td><span class="id">${esc(listing.workspaceId)}</span><div class="sub">${esc(listing.region)}</div></td>`,
              `<td class="user">${esc(listing.userName)}</td>`,
              `<td><span class="id">${esc(listing.account)}</span></td>`,
              `<td>${esc(listing.runningMode)}</td>`,
              `<td>${esc(listing.lastConnection || 'unknown')}</td>`,
              `<td class="num">${esc(listing.monthsUnused)}</td>`,
              `<td class="num">${esc(listing.monthlyWaste === '' ? '' : `${listing.monthlyWaste} ${listing.currency}`)}</td>`,
              `<td>${esc(whatWcoDoes(listing))}</td>`,
              '</tr>',
            ].join(''),
          ),
          'unused',
        );
  return `<section id="unused">
<h2>Unused WorkSpaces</h2>
<p class="note">${esc(lead)} No user connection for the months checked (the connection status, and this month’s usage from CloudWatch); a never-used WorkSpace counts from its creation or its first sighting. Tag one Skip_Terminate to keep it. The full list is unused.csv.</p>
${body}
</section>
`;
}

function whatWcoDoes(listing: UnusedListing): string {
  const outcome =
    listing.removalOutcome === 'DONE'
      ? `${listing.removalAction}: done`
      : listing.removalOutcome === 'FAILED'
        ? `${listing.removalAction}: FAILED ${listing.error}`
        : listing.removalOutcome === 'EARLIER'
          ? `${listing.removalAction}: done by an earlier run`
          : '';
  return outcome === '' ? listing.verdict : `${listing.verdict} (${outcome})`;
}
