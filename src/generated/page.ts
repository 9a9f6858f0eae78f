// Generated from schemas/page.json by npm run generate; do not edit.
import type { DriveFile } from './drive-file.js';
import type { PageBlock } from './page-block.js';
import type { UserLite } from './user-lite.js';

/**
 * A user page (Misskey `Page`), as webhooks carry it in `pinnedPage`.
 */
export interface Page {
	id: string;
	createdAt: string;
	updatedAt: string;
	userId: string;
	user: UserLite;
	content: PageBlock[];
	/**
	 * The page's variables, objects whose keys Misskey does not describe.
	 */
	variables: {}[];
	title: string;
	/**
	 * The page's path name under the user's pages.
	 */
	name: string;
	summary: string | null;
	hideTitleWhenPinned: boolean;
	alignCenter: boolean;
	/**
	 * The values Misskey's page table allows.
	 */
	font: 'serif' | 'sans-serif';
	script: string;
	eyeCatchingImageId: string | null;
	eyeCatchingImage: DriveFile | null;
	attachedFiles: DriveFile[];
	likedCount: number;
	/**
	 * Whether the viewer liked it; only when there is a viewer.
	 */
	isLiked?: boolean;
}
