/**
 * The slices of Misskey 2025.9's backend (packages/backend/src) that the adapter and the event calls use, declared
 * here so that this example type-checks without Misskey's source. Each name and signature is Misskey's own; a method
 * lists only the parameters and options used, so Misskey's real service is assignable to the interface. When a fork
 * renames or reshapes one of them, this file is where it shows.
 */
import type { Note, UserDetailedNotMe, UserLite } from '../index.js';

/** `MiUser['id']`: Misskey's ids are strings (aidx by default). */
export type MisskeyId = string;

/** The smallest user Misskey's services pass around (`MinimumUser` in NoteCreateService; `host` null = local). */
export interface MinimumUser {
	id: MisskeyId;
	host: string | null;
}

/** `MiLocalUser` (models/User.ts), the fields the adapter reads. */
export interface MiLocalUser extends MinimumUser {
	host: null;
	isSuspended: boolean;
}

/** `MiAccessToken` (models/AccessToken.ts) as `AuthenticateService.authenticate` answers it for an app or MiAuth token. */
export interface MiAccessToken {
	id: MisskeyId;
	permission: string[];
}

/** `MiNote` (models/Note.ts), the stored columns the note event reads. */
export interface MiNote {
	id: MisskeyId;
	userId: MisskeyId;
	userHost: string | null;
	threadId: string | null;
	replyId: MisskeyId | null;
	replyUserId: MisskeyId | null;
	replyUserHost: string | null;
	renoteId: MisskeyId | null;
	renoteUserId: MisskeyId | null;
	renoteUserHost: string | null;
	visibility: 'public' | 'home' | 'followers' | 'specified';
	visibleUserIds: MisskeyId[];
}

/** `MiAbuseUserReport` (models/AbuseUserReport.ts). */
export interface MiAbuseUserReport {
	id: MisskeyId;
	targetUserId: MisskeyId;
	targetUserHost: string | null;
	reporterId: MisskeyId;
	reporterHost: string | null;
	assigneeId: MisskeyId | null;
	resolved: boolean;
	forwarded: boolean;
	comment: string;
	moderationNote: string;
	resolvedAs: 'accept' | 'reject' | null;
}

/** `ModeratorInactivityRemainingTime` (queue/processors/CheckModeratorsActivityProcessorService.ts). */
export interface ModeratorInactivityRemainingTime {
	time: number;
	asHours: number;
	asDays: number;
}

/** `NoteEntityService` (core/entities/NoteEntityService.ts). */
export interface NoteEntityService {
	/** `me` null with `skipHide` packs without redaction; `detail` joins reply and renote. */
	pack(src: MisskeyId | MiNote, me?: { id: MisskeyId } | null, options?: { detail?: boolean; skipHide?: boolean; withReactionAndUserPairCache?: boolean }): Promise<Note>;
}

/** `UserEntityService` (core/entities/UserEntityService.ts): `pack` is generic over the `schema` it packs. */
export interface UserEntityService {
	pack(src: MisskeyId, me: { id: MisskeyId } | null | undefined, options: { schema: 'UserLite' }): Promise<UserLite>;
	pack(src: MisskeyId, me: { id: MisskeyId } | null | undefined, options: { schema: 'UserDetailedNotMe' }): Promise<UserDetailedNotMe>;
}

/** `RolePolicies` (core/RoleService.ts), the one policy the module reads. */
export interface RolePolicies {
	webhookLimit: number;
}

/** `RoleService` (core/RoleService.ts). */
export interface RoleService {
	getUserPolicies(userId: MisskeyId | null): Promise<RolePolicies>;
	isModerator(user: { id: MisskeyId } | null): Promise<boolean>;
}

/** `NoteThreadMutingsRepository` (models/_.ts): a TypeORM repository of `MiNoteThreadMuting`. */
export interface NoteThreadMutingsRepository {
	exists(options: { where: { userId: MisskeyId; threadId: string } }): Promise<boolean>;
}

/**
 * `AuthenticateService` (server/api/AuthenticateService.ts): answers `[user, null]` for a native token, `[user, token]`
 * for an app or MiAuth token, and throws `AuthenticationError` (its `name`) for an unknown one.
 */
export interface AuthenticateService {
	authenticate(token: string | null | undefined): Promise<[MiLocalUser | null, MiAccessToken | null]>;
}

/** The moderation log types of Misskey 2025.9 (`moderationLogTypes` in types.ts) the module writes. */
export type WebhookModerationLogType = 'createSystemWebhook' | 'updateSystemWebhook' | 'deleteSystemWebhook';

/** `ModerationLogService` (core/ModerationLogService.ts). */
export interface ModerationLogService {
	log(moderator: { id: MisskeyId }, type: WebhookModerationLogType, info?: Record<string, unknown>): Promise<void>;
}

/** The `app` notification of `MiNotification` (models/Notification.ts), the one a server may create without an app. */
export interface AppNotificationData {
	customBody: string;
	customHeader: string | null;
	customIcon: string | null;
	appAccessTokenId: MisskeyId | null;
}

/** `NotificationService` (core/NotificationService.ts): `createNotification` queues the notification and returns at once. */
export interface NotificationService {
	createNotification(notifieeId: MisskeyId, type: 'app', data: AppNotificationData, notifierId?: MisskeyId | null): void;
}

/** `RedisOptionsSource` of Misskey's config (config.ts), as `config.redisForJobQueue` holds it. */
export interface RedisOptionsSource {
	host: string;
	port: number;
	family?: number;
	pass?: string;
	db?: number;
	prefix?: string;
}

/** `Config` (config.ts), the fields the module's options come from. */
export interface Config {
	url: string;
	redisForJobQueue: RedisOptionsSource;
	allowedPrivateNetworks: string[] | undefined;
}

/**
 * `AbuseReportNotificationService` (core/AbuseReportNotificationService.ts): the abuse-report notification recipients
 * that send by webhook, each naming a system webhook and switched on or off by an administrator.
 */
export interface AbuseReportNotificationService {
	fetchWebhookRecipients(): Promise<Array<{ isActive: boolean; systemWebhookId: MisskeyId | null }>>;
}

/** Everything the adapter asks Misskey for, as Misskey's Nest container provides it. */
export interface MisskeyServices {
	noteEntityService: NoteEntityService;
	userEntityService: UserEntityService;
	roleService: RoleService;
	noteThreadMutingsRepository: NoteThreadMutingsRepository;
	authenticateService: AuthenticateService;
	moderationLogService: ModerationLogService;
	notificationService: NotificationService;
	abuseReportNotificationService: AbuseReportNotificationService;
}
