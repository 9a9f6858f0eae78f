import { DataSource } from 'typeorm';
import { webhookEntities } from '../../src/store/entities.js';
import { webhookMigrations } from '../../migrations/index.js';
import { resetDatabase } from '../support/database.js';
import { testDatabaseUrl } from '../support/env.js';

/**
 * A database as Misskey 2025.9 leaves it, reduced to what the webhook tables touch: a `user` table (only the columns
 * the foreign key needs), `user_profile`, `webhook` and `system_webhook` built by replaying the statements of Misskey's
 * own migrations in order (so even the dropped `createdAt` column leaves its trace), `abuse_report_notification_recipient`
 * which points at `system_webhook`, and Misskey's `migrations` table with the rows of those migrations.
 */
export const misskeyMigrationRows = [
	{ timestamp: 1000000000000, name: 'Init1000000000000' },
	{ timestamp: 1648548247382, name: 'webhook1648548247382' },
	{ timestamp: 1648816172177, name: 'webhook21648816172177' },
	{ timestamp: 1697420555911, name: 'DeleteCreatedAt1697420555911' },
	{ timestamp: 1713656541000, name: 'AbuseReportNotification1713656541000' },
	{ timestamp: 1752509043847, name: 'MigrationCleanup1752509043847' },
];

/** What the statements can vary, so a test can build a Misskey-like table of another shape. */
export interface MisskeyDatabaseOptions {
	/** Where the existing webhooks point. */
	receiverUrl?: string;
	/** Replaces the `secret` column type of `webhook` (Misskey: character varying(1024)). */
	webhookSecretType?: string;
	/** Leaves `latestStatus` out of `webhook` (as if Misskey's webhook-2 had not run). */
	withoutWebhookLatestStatus?: boolean;
	/** Replaces the `on` column type of `system_webhook` (Misskey: character varying(128) array). */
	systemWebhookOnType?: string;
}

/** The rows the fixture holds; ids in Misskey's aid form. */
export const misskeyRows = {
	users: ['9zaaaaaaa1', '9zaaaaaaa2'],
	webhooks: [
		{ id: '9zbbbbbbb1', userId: '9zaaaaaaa1', name: 'follow feed', on: ['follow', 'note'], secret: 'misskey-old-secret-1', active: true },
		{ id: '9zbbbbbbb2', userId: '9zaaaaaaa2', name: 'deactivated one', on: ['follow', 'mention'], secret: 'misskey-old-secret-2', active: false },
	],
	systemWebhooks: [
		{ id: '9zccccccc1', name: 'moderators', on: ['userCreated', 'abuseReport'], secret: 'misskey-system-secret', isActive: true },
	],
} as const;

/** Empties the test database and builds Misskey's tables and rows in it. */
export async function buildMisskeyDatabase(options: MisskeyDatabaseOptions = {}): Promise<void> {
	await resetDatabase();
	const url = options.receiverUrl ?? 'https://receiver.example/hook';
	const dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl });
	await dataSource.initialize();
	try {
		const q = (sql: string, parameters?: unknown[]) => dataSource.query(sql, parameters);
		await q(`CREATE TABLE "migrations" ("id" SERIAL NOT NULL, "timestamp" bigint NOT NULL, "name" character varying NOT NULL, CONSTRAINT "PK_8c82d7f526340ab734260ea46be" PRIMARY KEY ("id"))`);
		await q(`CREATE TABLE "user" ("id" character varying(32) NOT NULL, "username" character varying(128) NOT NULL, "host" character varying(128), CONSTRAINT "PK_cace4a159ff9f2512dd42373760" PRIMARY KEY ("id"))`);
		await q(`CREATE TABLE "user_profile" ("userId" character varying(32) NOT NULL, CONSTRAINT "PK_51cb79b5555effaf7d69ba1cff9" PRIMARY KEY ("userId"), CONSTRAINT "FK_51cb79b5555effaf7d69ba1cff9" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);

		// Misskey's webhook (2022.4): the table, its comments, three indexes and the foreign key to "user".
		const secretType = options.webhookSecretType ?? 'character varying(1024)';
		await q(`CREATE TABLE "webhook" ("id" character varying(32) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL, "userId" character varying(32) NOT NULL, "name" character varying(128) NOT NULL, "on" character varying(128) array NOT NULL DEFAULT '{}', "url" character varying(1024) NOT NULL, "secret" ${secretType} NOT NULL, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_e6765510c2d078db49632b59020" PRIMARY KEY ("id")); COMMENT ON COLUMN "webhook"."createdAt" IS 'The created date of the Antenna.'; COMMENT ON COLUMN "webhook"."userId" IS 'The owner ID.'; COMMENT ON COLUMN "webhook"."name" IS 'The name of the Antenna.'`);
		await q(`CREATE INDEX "IDX_f272c8c8805969e6a6449c77b3" ON "webhook" ("userId") `);
		await q(`CREATE INDEX "IDX_8063a0586ed1dfbe86e982d961" ON "webhook" ("on") `);
		await q(`CREATE INDEX "IDX_5a056076f76b2efe08216ba655" ON "webhook" ("active") `);
		await q(`ALTER TABLE "webhook" ADD CONSTRAINT "FK_f272c8c8805969e6a6449c77b3c" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
		// webhook-2 (2022.4): the last delivery's time and status.
		await q(`ALTER TABLE "webhook" ADD "latestSentAt" TIMESTAMP WITH TIME ZONE`);
		if (!options.withoutWebhookLatestStatus) await q(`ALTER TABLE "webhook" ADD "latestStatus" integer`);
		// deleteCreatedAt (2023.10): ids carry the time.
		await q(`ALTER TABLE "webhook" DROP COLUMN "createdAt"`);

		// abuse-report-notification (2024.5): system_webhook and the recipients that point at it.
		const onType = options.systemWebhookOnType ?? `varchar(128) [] NOT NULL DEFAULT '{}'::character varying[]`;
		await q(`
			CREATE TABLE "system_webhook" (
				"id" varchar(32) NOT NULL,
				"isActive" boolean NOT NULL DEFAULT true,
				"updatedAt" timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
				"latestSentAt" timestamp with time zone NULL DEFAULT NULL,
				"latestStatus" integer NULL DEFAULT NULL,
				"name" varchar(255) NOT NULL,
				"on" ${onType},
				"url" varchar(1024) NOT NULL,
				"secret" varchar(1024) NOT NULL,
				CONSTRAINT "PK_system_webhook_id" PRIMARY KEY ("id")
			);
			CREATE INDEX "IDX_system_webhook_isActive" ON "system_webhook" ("isActive");
			CREATE INDEX "IDX_system_webhook_on" ON "system_webhook" USING gin ("on");

			CREATE TABLE "abuse_report_notification_recipient" (
				"id" varchar(32) NOT NULL,
				"isActive" boolean NOT NULL DEFAULT true,
				"updatedAt" timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
				"name" varchar(255) NOT NULL,
				"method" varchar(64) NOT NULL,
				"userId" varchar(32) NULL DEFAULT NULL,
				"systemWebhookId" varchar(32) NULL DEFAULT NULL,
				CONSTRAINT "PK_abuse_report_notification_recipient_id" PRIMARY KEY ("id"),
				CONSTRAINT "FK_abuse_report_notification_recipient_userId1" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
				CONSTRAINT "FK_abuse_report_notification_recipient_userId2" FOREIGN KEY ("userId") REFERENCES "user_profile"("userId") ON DELETE CASCADE ON UPDATE NO ACTION,
				CONSTRAINT "FK_abuse_report_notification_recipient_systemWebhookId" FOREIGN KEY ("systemWebhookId") REFERENCES "system_webhook"("id") ON DELETE CASCADE ON UPDATE NO ACTION
			);
			CREATE INDEX "IDX_abuse_report_notification_recipient_isActive" ON "abuse_report_notification_recipient" ("isActive");
			CREATE INDEX "IDX_abuse_report_notification_recipient_method" ON "abuse_report_notification_recipient" ("method");
			CREATE INDEX "IDX_abuse_report_notification_recipient_userId" ON "abuse_report_notification_recipient" ("userId");
			CREATE INDEX "IDX_abuse_report_notification_recipient_systemWebhookId" ON "abuse_report_notification_recipient" ("systemWebhookId");
		`);
		// migration-cleanup (2025.7): the default as TypeORM spells it.
		await q(`ALTER TABLE "system_webhook" ALTER COLUMN "updatedAt" SET DEFAULT now()`);

		for (const row of misskeyMigrationRows) await q(`INSERT INTO "migrations" ("timestamp", "name") VALUES ($1, $2)`, [row.timestamp, row.name]);
		for (const id of misskeyRows.users) {
			await q(`INSERT INTO "user" ("id", "username", "host") VALUES ($1, $2, NULL)`, [id, `user_${id}`]);
			await q(`INSERT INTO "user_profile" ("userId") VALUES ($1)`, [id]);
		}
		for (const hook of misskeyRows.webhooks) {
			await q(`INSERT INTO "webhook" ("id", "userId", "name", "on", "url", "secret", "active", "latestSentAt"${options.withoutWebhookLatestStatus ? '' : ', "latestStatus"'})
				VALUES ($1, $2, $3, $4, $5, $6, $7, '2025-09-01T00:00:00Z'${options.withoutWebhookLatestStatus ? '' : ', 503'})`,
			[hook.id, hook.userId, hook.name, hook.on, url, hook.secret, hook.active]);
		}
		for (const hook of misskeyRows.systemWebhooks) {
			await q(`INSERT INTO "system_webhook" ("id", "name", "on", "url", "secret", "isActive", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, '2025-09-01T00:00:00Z')`,
				[hook.id, hook.name, hook.on, url, hook.secret, hook.isActive]);
		}
		await q(`INSERT INTO "abuse_report_notification_recipient" ("id", "name", "method", "systemWebhookId") VALUES ('9zddddddd1', 'to the moderators', 'webhook', $1)`, [misskeyRows.systemWebhooks[0].id]);
	} finally {
		await dataSource.destroy();
	}
}

/** A DataSource on the test database with the module's entities and migrations, as a Misskey host configures it (not yet migrated). */
export async function openHostDataSource(): Promise<DataSource> {
	const dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl, entities: webhookEntities, migrations: webhookMigrations });
	await dataSource.initialize();
	return dataSource;
}

/**
 * Everything that makes up the schema, for before/after comparisons: every column (with position, type, nullability,
 * default and comment), every index, every constraint, every table comment.
 */
export async function schemaSnapshot(dataSource: DataSource): Promise<Record<string, unknown[]>> {
	return {
		tables: await dataSource.query(`SELECT c.relname AS "table", obj_description(c.oid, 'pg_class') AS "comment" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`),
		columns: await dataSource.query(`
			SELECT c.table_name AS "table", c.column_name AS "column", c.ordinal_position AS "position",
				format_type(a.atttypid, a.atttypmod) AS "type", c.is_nullable AS "nullable", c.column_default AS "default",
				col_description(a.attrelid, a.attnum) AS "comment"
			FROM information_schema.columns c
			JOIN pg_attribute a ON a.attrelid = format('public.%I', c.table_name)::regclass AND a.attname = c.column_name
			WHERE c.table_schema = 'public'
			ORDER BY c.table_name, c.ordinal_position`),
		indexes: await dataSource.query(`SELECT tablename AS "table", indexname AS "name", indexdef AS "definition" FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
		constraints: await dataSource.query(`
			SELECT conrelid::regclass::text AS "table", conname AS "name", contype AS "type", pg_get_constraintdef(oid) AS "definition"
			FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
	};
}

/** The columns the module's migrations add to Misskey's two tables. */
const moduleColumnNames = new Set(['pausedBy', 'pausedReason', 'pausedAt', 'pausedByUserId', 'retryPolicy', 'sendSecretHeader',
	'previousSecret', 'previousSecretExpiresAt', 'failingSince', 'excludeSpecifiedNotes', 'excludeFollowersNotes', 'format', 'template', 'templateContentType', 'filter', 'deliveryRate', 'deliveryBurst']);

/** The rows of Misskey's tables, without the module's columns, for before/after comparisons. */
export async function misskeyRowsSnapshot(dataSource: DataSource): Promise<Record<string, unknown[]>> {
	const rowsOf = async (table: string, order: string) => (await dataSource.query(`SELECT * FROM "${table}" ORDER BY "${order}"`))
		.map((row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([column]) => !moduleColumnNames.has(column))));
	return {
		user: await rowsOf('user', 'id'),
		user_profile: await rowsOf('user_profile', 'userId'),
		webhook: await rowsOf('webhook', 'id'),
		system_webhook: await rowsOf('system_webhook', 'id'),
		abuse_report_notification_recipient: await rowsOf('abuse_report_notification_recipient', 'id'),
		migrations: await dataSource.query(`SELECT "timestamp", "name" FROM "migrations" ORDER BY "id"`),
	};
}
