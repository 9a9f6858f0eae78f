// Generated from schemas/page.json by npm run generate; do not edit.
import type { UserLite } from './user-lite.js';

/**
 * A user page (Misskey `Page`); only `id` is checked, as webhooks only carry pages inside pinned-page fields.
 */
export interface Page {
	id: string;
	createdAt?: string;
	updatedAt?: string;
	userId?: string;
	user?: UserLite;
	title?: string;
	name?: string;
	summary?: string | null;
}
