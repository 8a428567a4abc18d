import { createMergeHandler } from './sharded-handlers.js';

/**
 * The sharded deployment's `merge` step (`src/handlers/merge.handler`), invoked by
 * the state machine. Built when the module loads, so an invalid environment
 * fails the cold start naming each bad variable.
 */
export const handler = createMergeHandler(process.env);
