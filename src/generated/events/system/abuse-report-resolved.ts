// Generated from schemas/events/system/abuse-report-resolved.json by npm run generate; do not edit.
import type { AbuseReportPayload } from '../../abuse-report-payload.js';

/**
 * Body of an `abuseReportResolved` event: the report as re-read after a moderator resolved it (resolved, assignee, resolvedAs set), not wrapped.
 */
export type AbuseReportResolvedWebhookBody = AbuseReportPayload;
