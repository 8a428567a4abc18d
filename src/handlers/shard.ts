import { createShardHandler } from './sharded-handlers.js';

/**
 * The sharded deployment's `shard` step (`src/handlers/shard.handler`), invoked by
 * the state machine. Built when the module loads, so an invalid environment
 * fails the cold start naming each bad variable.
 */
export const handler = createShardHandler(process.env);
