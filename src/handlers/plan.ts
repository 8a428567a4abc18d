import { createPlanHandler } from './sharded-handlers.js';

/**
 * The sharded deployment's `plan` step (`src/handlers/plan.handler`), invoked by
 * the state machine. Built when the module loads, so an invalid environment
 * fails the cold start naming each bad variable.
 */
export const handler = createPlanHandler(process.env);
