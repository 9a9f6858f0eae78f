import { randomBytes } from 'node:crypto';
import type { Caller, HostAdapter } from '../../src/host.js';
import type { UserLite } from '../../src/generated/user-lite.js';
import { generateId } from '../../src/store/id.js';

/** A user of the test host. */
export interface TestUser {
	id: string;
	isSuspended: boolean;
	/** Holds a moderator (or administrator) role: `authenticate` reports `isModerator`. */
	isModerator?: boolean;
}

/** One call of `logModeratorAction`, as the host's moderation log would store it. */
export interface LoggedModeratorAction {
	moderatorId: string;
	type: string;
	info: Record<string, unknown>;
}

/** How a token was issued: the user's own login token, or an app token with permission kinds. */
export type TestTokenGrant = { native: true } | { native: false; permissions: readonly string[] };

/**
 * A host adapter with users and tokens in memory, for API tests: native and app tokens, suspension and a per-user
 * `webhookLimit`. Packing and thread muting are not needed by the API and throw if called.
 */
export class TestHost implements HostAdapter {
	private readonly users = new Map<string, TestUser>();
	private readonly tokens = new Map<string, { userId: string; grant: TestTokenGrant }>();
	private readonly webhookLimits = new Map<string, number>();
	/** Every moderator action the module logged, oldest first. */
	readonly moderatorActions: LoggedModeratorAction[] = [];
	/** The user id of every `packUserLite` call, in call order. */
	readonly packedUserLiteIds: string[] = [];
	/** Role policy `webhookLimit`: the per-user value, else Misskey's base 3. Absent with `withoutWebhookLimit`, so the module's own default applies. */
	webhookLimit?: (userId: string) => Promise<number>;

	constructor(options: { withoutWebhookLimit?: boolean } = {}) {
		if (!options.withoutWebhookLimit) this.webhookLimit = async (userId) => this.webhookLimits.get(userId) ?? 3;
	}

	/** A new local user. */
	addUser(input: { isSuspended?: boolean; isModerator?: boolean } = {}): TestUser {
		const user = { id: generateId(), isSuspended: input.isSuspended ?? false, isModerator: input.isModerator ?? false };
		this.users.set(user.id, user);
		return user;
	}

	/** Issues a token for `user`; native unless a grant says otherwise. */
	issueToken(user: TestUser, grant: TestTokenGrant = { native: true }): string {
		const token = randomBytes(16).toString('hex');
		this.tokens.set(token, { userId: user.id, grant });
		return token;
	}

	/** A user with a native token, in one step. */
	addUserWithToken(input: { isSuspended?: boolean; isModerator?: boolean } = {}): { user: TestUser; token: string } {
		const user = this.addUser(input);
		return { user, token: this.issueToken(user) };
	}

	setSuspended(user: TestUser, isSuspended: boolean): void {
		user.isSuspended = isSuspended;
	}

	/** Sets the user's role policy `webhookLimit`. */
	setWebhookLimit(user: TestUser, limit: number): void {
		this.webhookLimits.set(user.id, limit);
	}

	async authenticate(token: string): Promise<Caller | null> {
		const entry = this.tokens.get(token);
		const user = entry && this.users.get(entry.userId);
		if (!entry || !user) return null;
		return {
			user: { id: user.id, isSuspended: user.isSuspended },
			isNativeToken: entry.grant.native,
			isModerator: user.isModerator ?? false,
			...(entry.grant.native ? {} : { permissions: entry.grant.permissions }),
		};
	}

	async isThreadMuted(): Promise<boolean> {
		throw new Error('isThreadMuted is not used here');
	}

	async packNote(): Promise<never> {
		throw new Error('packNote is not used here');
	}

	/** A plausible UserLite for a known user (valid against the schema); recorded in `packedUserLiteIds`. */
	async packUserLite(userId: string): Promise<UserLite> {
		this.packedUserLiteIds.push(userId);
		if (!this.users.has(userId)) throw new Error(`unknown user ${userId}`);
		return {
			id: userId,
			name: null,
			username: `user_${userId}`,
			host: null,
			avatarUrl: `https://test.example/identicon/${userId}`,
			avatarBlurhash: null,
			avatarDecorations: [],
			isBot: false,
			isCat: false,
			emojis: {},
			onlineStatus: 'unknown',
			badgeRoles: [],
		};
	}

	/** Records the action, as a host's moderation log would. */
	async logModeratorAction(moderatorId: string, type: string, info: Record<string, unknown>): Promise<void> {
		this.moderatorActions.push({ moderatorId, type, info });
	}

	async packUserDetailed(): Promise<never> {
		throw new Error('packUserDetailed is not used here');
	}
}
