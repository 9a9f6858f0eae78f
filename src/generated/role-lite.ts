// Generated from schemas/role-lite.json by npm run generate; do not edit.
/**
 * A role in its short form (Misskey `RoleLite`).
 */
export interface RoleLite {
	id: string;
	name: string;
	color: string | null;
	iconUrl: string | null;
	description: string;
	isModerator: boolean;
	isAdministrator: boolean;
	displayOrder: number;
}
