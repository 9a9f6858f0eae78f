import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { generateHostId } from '../id.js';

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// Misskey issues 32 random alphanumerics as an app token (secureRndstr(32)); a native token has 16.
const APP_TOKEN_LENGTH = 32;

function newAppToken(): string {
	let token = '';
	for (let i = 0; i < APP_TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
	return token;
}

/** An app token as the adapter needs it: whose it is and what it may do. */
export interface AppToken {
	userId: string;
	permissions: string[];
}

/** App tokens issued through MiAuth (Misskey's `access_token`), kept with plain SQL: the host reads them by token only. */
export class AccessTokenService {
	constructor(private readonly dataSource: DataSource) {}

	/**
	 * Issues a token for a MiAuth session the user approved (Misskey `miauth/gen-token`); a session already answered
	 * issues nothing and gives false.
	 */
	async issueForSession(session: string, userId: string, name: string | null, permissions: readonly string[]): Promise<boolean> {
		const inserted: unknown[] = await this.dataSource.query(
			`INSERT INTO "access_token" ("id", "createdAt", "token", "session", "userId", "name", "permission") VALUES ($1, now(), $2, $3, $4, $5, $6)
			ON CONFLICT ("session") DO NOTHING RETURNING "id"`,
			[generateHostId(), newAppToken(), session, userId, name, permissions],
		);
		return inserted.length === 1;
	}

	/** The token of an approved session, once (Misskey `miauth/:session/check`): later checks get null. */
	async fetchForSession(session: string): Promise<{ token: string; userId: string } | null> {
		// TypeORM answers an UPDATE on PostgreSQL with [rows, count].
		const [rows]: [Array<{ token: string; userId: string }>, number] = await this.dataSource.query(
			`UPDATE "access_token" SET "fetched" = true WHERE "session" = $1 AND NOT "fetched" RETURNING "token", "userId"`,
			[session],
		);
		return rows[0] ?? null;
	}

	async findByToken(token: string): Promise<AppToken | null> {
		const rows: Array<{ userId: string; permission: string[] }> = await this.dataSource.query(
			`SELECT "userId", "permission" FROM "access_token" WHERE "token" = $1`,
			[token],
		);
		const row = rows[0];
		return row ? { userId: row.userId, permissions: row.permission } : null;
	}
}
