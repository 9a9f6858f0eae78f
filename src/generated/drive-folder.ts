// Generated from schemas/drive-folder.json by npm run generate; do not edit.
/**
 * A drive folder (Misskey `DriveFolder`).
 */
export interface DriveFolder {
	id: string;
	createdAt: string;
	name: string;
	parentId: string | null;
	foldersCount?: number;
	filesCount?: number;
	parent?: DriveFolder | null;
}
