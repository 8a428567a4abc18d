import type { Money } from '../billing/index.js';
import { formatCents } from '../billing/index.js';

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(value: string | number): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `1,234.56`; negative as `-0.50`. */
export function formatAmount(amount: Money): string {
  const [whole, cents] = formatCents(amount).split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const digits = whole!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}.${cents}`;
}

/** `USD 1,234.56`; negative as `USD -0.50`. */
export function formatMoney(currency: string, amount: Money): string {
  return `${currency} ${formatAmount(amount)}`;
}

const MODE_LABEL: Readonly<Record<string, string>> = { AUTO_STOP: 'AutoStop', ALWAYS_ON: 'AlwaysOn' };

/** A running mode as people write it: `AutoStop`, `AlwaysOn`; other modes as they are. */
export const modeLabel = (mode: string) => MODE_LABEL[mode] ?? mode;
