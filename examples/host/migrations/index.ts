import { HostTables1700000100000 } from './1700000100000-host-tables.js';
import { HostModeration1700000100100 } from './1700000100100-host-moderation.js';
import { HostNoteContent1700000100200 } from './1700000100200-host-note-content.js';
import { HostAbuseReportRecipients1700000200100 } from './1700000200100-host-abuse-report-recipients.js';
import { HostAccessTokens1700000300100 } from './1700000300100-host-access-tokens.js';
import { HostFollowRequests1700000300200 } from './1700000300200-host-follow-requests.js';

/** The reference host's migrations, oldest first; run together with the module's `webhookMigrations`. */
export const hostMigrations = [HostTables1700000100000, HostModeration1700000100100, HostNoteContent1700000100200, HostAbuseReportRecipients1700000200100, HostAccessTokens1700000300100, HostFollowRequests1700000300200];
