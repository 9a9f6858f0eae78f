// Generated from schemas/user-detailed-not-me.json by npm run generate; do not edit.
import type { Note } from './note.js';
import type { Page } from './page.js';
import type { RoleLite } from './role-lite.js';
import type { UserLite } from './user-lite.js';

/**
 * A user packed in detail for a viewer other than themselves (Misskey `UserDetailedNotMe` = UserLite + UserDetailedNotMeOnly): every UserLite field, then these.
 */
export type UserDetailedNotMe = UserLite & {
	url: string | null;
	uri: string | null;
	movedTo: string | null;
	alsoKnownAs: string[] | null;
	createdAt: string;
	updatedAt: string | null;
	lastFetchedAt: string | null;
	bannerUrl: string | null;
	bannerBlurhash: string | null;
	isLocked: boolean;
	isSilenced: boolean;
	isSuspended: boolean;
	description: string | null;
	location: string | null;
	birthday: string | null;
	lang: string | null;
	/**
	 * @maxItems 16
	 */
	fields: {
		name: string;
		value: string;
	}[];
	verifiedLinks: string[];
	followersCount: number;
	followingCount: number;
	notesCount: number;
	pinnedNoteIds: string[];
	pinnedNotes: Note[];
	pinnedPageId: string | null;
	pinnedPage: Page | null;
	publicReactions: boolean;
	followingVisibility: 'public' | 'followers' | 'private';
	followersVisibility: 'public' | 'followers' | 'private';
	chatScope: 'everyone' | 'following' | 'followers' | 'mutual' | 'none';
	canChat: boolean;
	roles: RoleLite[];
	followedMessage?: string | null;
	/**
	 * The viewer's private memo about this user.
	 */
	memo: string | null;
	/**
	 * Moderator viewers only.
	 */
	moderationNote?: string;
	/**
	 * Self or moderator viewers only.
	 */
	twoFactorEnabled?: boolean;
	/**
	 * Self or moderator viewers only.
	 */
	usePasswordLessLogin?: boolean;
	/**
	 * Self or moderator viewers only.
	 */
	securityKeys?: boolean;
	/**
	 * Relationship to the viewer; present when a viewer is given.
	 */
	isFollowing?: boolean;
	isFollowed?: boolean;
	hasPendingFollowRequestFromYou?: boolean;
	hasPendingFollowRequestToYou?: boolean;
	isBlocking?: boolean;
	isBlocked?: boolean;
	isMuted?: boolean;
	isRenoteMuted?: boolean;
	notify?: 'normal' | 'none';
	withReplies?: boolean;
};
