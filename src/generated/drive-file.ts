// Generated from schemas/drive-file.json by npm run generate; do not edit.
import type { DriveFolder } from './drive-folder.js';
import type { UserLite } from './user-lite.js';

/**
 * A drive file (Misskey `DriveFile`).
 */
export interface DriveFile {
	id: string;
	createdAt: string;
	name: string;
	/**
	 * MIME type.
	 */
	type: string;
	md5: string;
	size: number;
	isSensitive: boolean;
	blurhash: string | null;
	properties: {
		width?: number;
		height?: number;
		orientation?: number;
		avgColor?: string;
	};
	url: string;
	thumbnailUrl: string | null;
	comment: string | null;
	folderId: string | null;
	folder?: DriveFolder | null;
	userId: string | null;
	user?: UserLite | null;
}
