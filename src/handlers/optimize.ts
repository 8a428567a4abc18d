import { createOptimizeHandler } from './optimize-handler.js';

/**
 * The Lambda entry point (`src/handlers/optimize.handler`). Built when the
 * module loads, so an invalid environment fails the cold start with a message
 * naming each bad variable instead of failing every invocation later.
 */
export const handler = createOptimizeHandler(process.env);
