// Generated from schemas/events/system/abuse-report-auto-resolved.json by npm run generate; do not edit.
import type { AbuseReportPayload } from '../../abuse-report-payload.js';

/**
 * Body of an `abuseReportAutoResolved` event (ours, not Misskey's; MisskeyIO calls it `reportAutoResolved`): a report the server resolved by a rule, without a moderator looking at it (resolved and resolvedAs set, assignee as the rule left it, usually null), as re-read after the update, not wrapped.
 */
export type AbuseReportAutoResolvedWebhookBody = AbuseReportPayload;
