import type { Interval, Tags } from '../billing/index.js';
import type { Workspace } from '../ports/workspace.js';
import type { EdgeCase } from './edge-case.js';
import type { SimulatedFaults } from './simulated-faults.js';
import type { UsageArchetype } from './usage-archetype.js';

/** One WorkSpace of the simulated fleet: what the service would report, and how its user connects. */
export interface SimulatedWorkspace {
  readonly workspace: Workspace;
  readonly tags: Tags;
  /** Connected sessions `[start, end)` in epoch ms: sorted, disjoint, all ending before the as-of time. */
  readonly sessions: readonly Interval[];
  readonly faults?: SimulatedFaults;
  readonly archetype: UsageArchetype;
  /** Set on the WorkSpaces that exist to show one of the contract's edge cases. */
  readonly edgeCase?: EdgeCase;
}
