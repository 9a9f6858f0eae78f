import type { Note } from './generated/note.js';
import type { UserLite } from './generated/user-lite.js';
import type { UserDetailedNotMe } from './generated/user-detailed-not-me.js';

/** A user as the host's events name them: `host` is null for a local user (Misskey's convention). */
export interface UserRef {
	id: string;
	host: string | null;
}

/** Who is calling an API endpoint, as the host resolved the credential. */
export interface Caller {
	user: { id: string; isSuspended?: boolean };
	/** true for the user's own login token; false for an app (MiAuth/OAuth) token. */
	isNativeToken: boolean;
	/** The app token's permission kinds; ignored for native tokens. */
	permissions?: readonly string[];
	isModerator?: boolean;
}

/**
 * What the module asks of the host server. Every method is called on demand; the module never reads host tables.
 * Packing follows Misskey's packers (see schemas/): dates as ISO strings, absent optional keys omitted.
 */
export interface HostAdapter {
	/** Resolves an API credential; null when the token is unknown (→ AUTHENTICATION_FAILED). */
	authenticate(token: string): Promise<Caller | null>;
	/** Role policy `webhookLimit` of a user (Misskey's default is 3). */
	webhookLimit?(userId: string): Promise<number>;
	/** Whether `userId` muted the thread `threadId` (Misskey `note_thread_muting`). */
	isThreadMuted(userId: string, threadId: string): Promise<boolean>;
	/** A note packed as Misskey does, with `detail: true`; `viewerId` null = no viewer, hidden content not redacted. */
	packNote(noteId: string, viewerId: string | null): Promise<Note>;
	/** A user packed as UserLite. */
	packUserLite(userId: string): Promise<UserLite>;
	/** A user packed as UserDetailedNotMe from `viewerId`'s point of view (relationship fields present). */
	packUserDetailed(userId: string, viewerId: string | null): Promise<UserDetailedNotMe>;
	/**
	 * Records a moderator's action in the host's moderation log (Misskey `moderationLogService.log`), e.g.
	 * `createSystemWebhook`, `updateSystemWebhook`, `deleteSystemWebhook`, `updateUserWebhook`. Secrets arrive redacted.
	 */
	logModeratorAction?(moderatorId: string, type: string, info: Record<string, unknown>): Promise<void>;
	/**
	 * The ids of the system webhooks to leave out of `abuseReport` and `abuseReportResolved` (Misskey: those named by an
	 * inactive abuse-report notification recipient of method `webhook`). Asked when such an event is planned, after the
	 * host's transaction committed, and only when some active system webhook wants the event. A throw keeps the event
	 * waiting in the intake until the host can answer. Absent: no system webhook is left out.
	 */
	systemWebhookIdsExcludedFromAbuseReports?(): Promise<readonly string[]>;
	/** Tells a user that the module paused one of their webhooks (auto-disable, 410 Gone), e.g. as a notification. */
	notifyWebhookDisabled?(userId: string, webhook: { id: string; name: string; url: string }, reason: string): Promise<void>;
}
