// Generated from schemas/note.json by npm run generate; do not edit.
import type { DriveFile } from './drive-file.js';
import type { UserLite } from './user-lite.js';

/**
 * A note (Misskey `Note`). Absent optional keys are omitted, not null.
 */
export interface Note {
	id: string;
	createdAt: string;
	deletedAt?: string | null;
	text: string | null;
	cw?: string | null;
	userId: string;
	user: UserLite;
	replyId?: string | null;
	renoteId?: string | null;
	/**
	 * Absent when not joined, null when the target is gone.
	 */
	reply?: Note | null;
	/**
	 * Absent when not joined, null when the target is gone.
	 */
	renote?: Note | null;
	isHidden?: boolean;
	visibility: 'public' | 'home' | 'followers' | 'specified';
	mentions?: string[];
	visibleUserIds?: string[];
	fileIds?: string[];
	files?: DriveFile[];
	tags?: string[];
	poll?: {
		expiresAt?: string | null;
		multiple: boolean;
		choices: {
			isVoted: boolean;
			text: string;
			votes: number;
		}[];
	} | null;
	hasPoll?: boolean;
	/**
	 * Custom emoji name to image URL.
	 */
	emojis?: {
		[k: string]: string;
	};
	channelId?: string | null;
	channel?: {
		id: string;
		name: string;
		color: string;
		isSensitive: boolean;
		allowRenoteToExternal: boolean;
		userId: string | null;
	} | null;
	localOnly?: boolean;
	reactionAcceptance:
		'likeOnly' | 'likeOnlyForRemote' | 'nonSensitiveOnly' | 'nonSensitiveOnlyForLocalLikeOnlyForRemote' | null;
	/**
	 * Custom emoji used in reactions, name to image URL.
	 */
	reactionEmojis: {
		[k: string]: string;
	};
	/**
	 * Reaction to count.
	 */
	reactions: {
		[k: string]: number;
	};
	reactionCount: number;
	/**
	 * Recent `userId/reaction` pairs.
	 */
	reactionAndUserPairCache?: string[];
	myReaction?: string | null;
	renoteCount: number;
	repliesCount: number;
	clippedCount?: number;
	/**
	 * Remote notes only.
	 */
	uri?: string;
	/**
	 * Remote notes only.
	 */
	url?: string;
}
