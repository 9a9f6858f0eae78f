import type { EntityManager } from 'typeorm';

/**
 * A moderator's pause remembered by (owner, URL) in `webhook_moderator_pause`, so that deleting a paused webhook and
 * creating it again does not lift the pause: `create` applies a record it finds to the new webhook.
 */
export interface ModeratorPauseRecord {
	reason: string | null;
	pausedAt: Date;
	pausedByUserId: string | null;
}

/**
 * The key a URL is remembered under: the WHATWG normal form, so `HTTPS://Host:443/a` and `https://host/a` are one. A URL
 * that does not parse (never stored: the API refuses it) is kept as given.
 */
export function pauseRecordUrl(url: string): string {
	try {
		return new URL(url).href;
	} catch {
		return url;
	}
}

/** Remembers (or refreshes) a moderator's pause of `webhookId` under the owner and the URL. */
export async function rememberModeratorPause(manager: EntityManager, input: { userId: string; url: string; webhookId: string } & ModeratorPauseRecord): Promise<void> {
	await manager.query(
		`INSERT INTO "webhook_moderator_pause" ("userId", "url", "webhookId", "reason", "pausedAt", "pausedByUserId")
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT ("userId", "url") DO UPDATE SET "webhookId" = EXCLUDED."webhookId", "reason" = EXCLUDED."reason",
			"pausedAt" = EXCLUDED."pausedAt", "pausedByUserId" = EXCLUDED."pausedByUserId"`,
		[input.userId, pauseRecordUrl(input.url), input.webhookId, input.reason, input.pausedAt, input.pausedByUserId],
	);
}

/** The pause remembered for this owner and URL, handed over to `webhookId` (the webhook now created there); null when none. */
export async function takeOverModeratorPause(manager: EntityManager, userId: string, url: string, webhookId: string): Promise<ModeratorPauseRecord | null> {
	const rows = await manager.query(
		`UPDATE "webhook_moderator_pause" SET "webhookId" = $3 WHERE "userId" = $1 AND "url" = $2
		RETURNING "reason", "pausedAt", "pausedByUserId"`,
		[userId, pauseRecordUrl(url), webhookId],
	) as [Array<{ reason: string | null; pausedAt: Date; pausedByUserId: string | null }>, number];
	const row = rows[0]?.[0];
	return row ? { reason: row.reason, pausedAt: new Date(row.pausedAt), pausedByUserId: row.pausedByUserId } : null;
}

/** Forgets every pause record that holds `webhookId`: a moderator lifted its pause. */
export async function forgetModeratorPauses(manager: EntityManager, webhookId: string): Promise<void> {
	await manager.query(`DELETE FROM "webhook_moderator_pause" WHERE "webhookId" = $1`, [webhookId]);
}

/** Forgets every pause record of a deleted user. */
export async function forgetUserModeratorPauses(manager: EntityManager, userId: string): Promise<void> {
	await manager.query(`DELETE FROM "webhook_moderator_pause" WHERE "userId" = $1`, [userId]);
}
