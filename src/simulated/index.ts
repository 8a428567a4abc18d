/** The embedded simulated fleet: the default fleet of a local run (`wco run --demo`). */
export * from './edge-case.js';
export * from './generate-simulated-fleet.js';
export * from './sessions-for-billable-hours.js';
export * from './sessions-to-samples.js';
export * from './simulated-faults.js';
export * from './simulated-fleet.js';
export * from './simulated-workspace.js';
export * from './usage-archetype.js';
export * from './simulated-history.js';
export * from './simulated-history-source.js';
