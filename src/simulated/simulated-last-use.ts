import { UTCDate } from '@date-fns/utc';
import { addDays, addMonths, startOfMonth } from 'date-fns';
import type { LastUse } from '../ports/unused-workspaces.js';
import { hashText } from './seeded-random.js';
import type { SimulatedWorkspace } from './simulated-workspace.js';

/**
 * What `DescribeWorkspacesConnectionStatus` would say of a simulated
 * WorkSpace at `asOf`. Its sessions cover only `asOf`'s month, so one that
 * connected this month was last connected at the end of its last session; for
 * one that did not, the past is drawn from its id (not from the fleet's random
 * streams, which stay as they were): one in six never connected (created one
 * to six months before this month), one in six last connected last month, the
 * rest two to six months before this month.
 * @example simulatedLastUse(simulated, new Date('2026-11-30T23:00:00Z')).lastConnection
 */
export function simulatedLastUse(simulated: SimulatedWorkspace, asOf: Date): LastUse {
  const last = simulated.sessions.at(-1);
  if (last !== undefined) return { lastConnection: Math.min(last.end, asOf.getTime()) };
  const hash = hashText(`last-use ${simulated.workspace.workspaceId}`);
  const monthStart = startOfMonth(new UTCDate(asOf));
  const day = (hash >>> 8) % 27;
  const hour = (hash >>> 16) % 10;
  const at = (monthsBack: number) =>
    addDays(addMonths(monthStart, -monthsBack), day).getTime() + (8 + hour) * 3_600_000;
  const kind = hash % 6;
  if (kind === 0) return { lastConnection: null, createdAt: at(1 + ((hash >>> 4) % 6)) };
  if (kind === 1) return { lastConnection: at(1) };
  return { lastConnection: at(2 + ((hash >>> 4) % 5)) };
}
