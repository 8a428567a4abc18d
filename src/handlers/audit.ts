import { createAuditLambda } from './audit-handler.js';

/**
 * The Lambda entry point (`src/handlers/audit.handler`). Built when the module
 * loads, so a missing `AUDIT_BUCKET` fails the cold start with a message
 * naming it instead of failing every batch later.
 */
export const handler = createAuditLambda(process.env);
