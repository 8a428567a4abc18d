import { Decimal } from 'decimal.js';

/**
 * Money is decimal, never binary floating point: `0.1 + 0.2` must be `0.3`.
 * A private clone so nobody else's Decimal settings change ours: 40
 * significant digits keeps pro-rata divisions (by 672..744 hours) exact far
 * beyond the cent, and figures are rounded to cents only once, at the end.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = InstanceType<typeof Money>;

/** A decimal amount from its exact text (`"0.26"`) or an integer. */
export function money(value: string | number | Money): Money {
  return new Money(value);
}

/**
 * Rounds half up to whole cents, the unit of an invoice line.
 * @example roundCents(money('1.005')).toFixed(2) // '1.01'
 */
export function roundCents(amount: Money): Money {
  return amount.toDecimalPlaces(2, Money.ROUND_HALF_UP);
}

/** A price or rate as text without trailing zeros: `0.2600000000` -> `0.26`. */
export function formatRate(amount: Money): string {
  return amount.toFixed();
}

/** An amount in cents as text with two decimals: `12.5` -> `12.50`. */
export function formatCents(amount: Money): string {
  return roundCents(amount).toFixed(2);
}
