// Generated from schemas/events/system/abuse-report.json by npm run generate; do not edit.
import type { AbuseReportPayload } from '../../abuse-report-payload.js';

/**
 * Body of an `abuseReport` event: one report just filed, not wrapped.
 */
export type AbuseReportWebhookBody = AbuseReportPayload;
