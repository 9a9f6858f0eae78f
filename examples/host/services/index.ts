import type { DataSource } from 'typeorm';
import type { EventRelay } from '../event-relay.js';
import { Packer } from '../packing.js';
import { FollowingService } from './following.js';
import { NoteService } from './notes.js';
import { ReactionService } from './reactions.js';
import { ThreadMutingService } from './thread-muting.js';
import { UserService } from './users.js';
import { AbuseReportService } from './abuse-reports.js';
import { ModerationLogService } from './moderation-log.js';
import { AbuseReportRecipientService } from './abuse-report-recipients.js';
import { AccessTokenService } from './access-tokens.js';

/** Every service of the host, handed to endpoint handlers and the module's adapter. */
export interface HostServices {
	users: UserService;
	notes: NoteService;
	following: FollowingService;
	reactions: ReactionService;
	threadMuting: ThreadMutingService;
	abuseReports: AbuseReportService;
	abuseReportRecipients: AbuseReportRecipientService;
	moderationLog: ModerationLogService;
	/** App tokens issued through MiAuth. */
	accessTokens: AccessTokenService;
	packer: Packer;
}

/** Builds the services on one DataSource; `relay` carries their events to the webhook module. */
export function createHostServices(dataSource: DataSource, relay: EventRelay, serverUrl: string): HostServices {
	const users = new UserService(dataSource, relay);
	const notes = new NoteService(dataSource, users, relay, new URL(serverUrl).host);
	const moderationLog = new ModerationLogService(dataSource);
	return {
		users,
		notes,
		following: new FollowingService(dataSource, users, relay),
		reactions: new ReactionService(dataSource, notes, users, relay),
		threadMuting: new ThreadMutingService(dataSource, notes),
		abuseReports: new AbuseReportService(dataSource, users, relay),
		abuseReportRecipients: new AbuseReportRecipientService(dataSource, users, moderationLog),
		moderationLog,
		accessTokens: new AccessTokenService(dataSource),
		packer: new Packer(dataSource, serverUrl),
	};
}
