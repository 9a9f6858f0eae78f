// Generated from schemas/user-lite.json by npm run generate; do not edit.
/**
 * A user packed in its short form (Misskey `UserLite`).
 */
export interface UserLite {
	id: string;
	name: string | null;
	username: string;
	/**
	 * null for a local user.
	 */
	host: string | null;
	/**
	 * Avatar or identicon URL; empty in test dummies, so no uri format.
	 */
	avatarUrl: string;
	avatarBlurhash: string | null;
	avatarDecorations: {
		id: string;
		angle?: number;
		flipH?: boolean;
		url: string;
		offsetX?: number;
		offsetY?: number;
	}[];
	isBot?: boolean;
	isCat?: boolean;
	/**
	 * Present only when true.
	 */
	requireSigninToViewContents?: boolean;
	makeNotesFollowersOnlyBefore?: number | null;
	makeNotesHiddenBefore?: number | null;
	/**
	 * Remote users only.
	 */
	instance?: {
		name: string | null;
		softwareName: string | null;
		softwareVersion: string | null;
		iconUrl: string | null;
		faviconUrl: string | null;
		themeColor: string | null;
	};
	/**
	 * Custom emoji name to image URL.
	 */
	emojis: {
		[k: string]: string;
	};
	onlineStatus: 'unknown' | 'online' | 'active' | 'offline';
	/**
	 * Local users only.
	 */
	badgeRoles?: {
		name: string;
		iconUrl: string | null;
		displayOrder: number;
	}[];
}
