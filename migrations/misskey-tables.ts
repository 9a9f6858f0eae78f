import type { QueryRunner } from 'typeorm';

/** One column as PostgreSQL reports it: `format_type` spelling, NOT NULL, and the default expression (`pg_get_expr`). */
export interface ColumnShape {
	name: string;
	type: string;
	notNull: boolean;
	/** Every spelling of the default that means the same; `null` for no default. */
	defaults: Array<string | null>;
}

/** A table the module shares with Misskey: its name, the columns Misskey gives it, and its primary key. */
export interface MisskeyTableShape {
	table: 'webhook' | 'system_webhook';
	columns: ColumnShape[];
	primaryKey: string[];
}

const varchar = (length: number) => `character varying(${length})`;
const timestamptz = 'timestamp with time zone';
const required = (name: string, type: string, defaults: Array<string | null> = [null]): ColumnShape => ({ name, type, notNull: true, defaults });
const nullable = (name: string, type: string): ColumnShape => ({ name, type, notNull: false, defaults: [null] });

/** `webhook` after Misskey's migrations webhook, webhook-2 and deleteCreatedAt (unchanged since, through 2025.9). */
export const misskeyWebhookShape: MisskeyTableShape = {
	table: 'webhook',
	columns: [
		required('id', varchar(32)),
		required('userId', varchar(32)),
		required('name', varchar(128)),
		required('on', `${varchar(128)}[]`, ["'{}'::character varying[]"]),
		required('url', varchar(1024)),
		required('secret', varchar(1024)),
		required('active', 'boolean', ['true']),
		nullable('latestSentAt', timestamptz),
		nullable('latestStatus', 'integer'),
	],
	primaryKey: ['id'],
};

/**
 * `system_webhook` after Misskey's migrations abuse-report-notification and migration-cleanup. Before the cleanup
 * (Misskey 2024.5 to 2025.6) `updatedAt` defaulted to CURRENT_TIMESTAMP, which is the same value as now(): both are accepted.
 */
export const misskeySystemWebhookShape: MisskeyTableShape = {
	table: 'system_webhook',
	columns: [
		required('id', varchar(32)),
		required('isActive', 'boolean', ['true']),
		required('updatedAt', timestamptz, ['now()', 'CURRENT_TIMESTAMP']),
		nullable('latestSentAt', timestamptz),
		nullable('latestStatus', 'integer'),
		required('name', varchar(255)),
		required('on', `${varchar(128)}[]`, ["'{}'::character varying[]"]),
		required('url', varchar(1024)),
		required('secret', varchar(1024)),
	],
	primaryKey: ['id'],
};

/** Our record of the tables we found and adopted (so revert leaves them); exists only on databases that had some. */
const adoptionTable = 'webhook_module_adoption';

async function tableExists(queryRunner: QueryRunner, table: string): Promise<boolean> {
	const [{ exists }] = await queryRunner.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [`"${table}"`]);
	return exists;
}

async function columnsOf(queryRunner: QueryRunner, table: string): Promise<Array<{ name: string; type: string; notNull: boolean; default: string | null }>> {
	return queryRunner.query(`
		SELECT a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type", a.attnotnull AS "notNull",
			pg_get_expr(d.adbin, d.adrelid) AS "default"
		FROM pg_attribute a
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, [`"${table}"`]);
}

async function primaryKeyOf(queryRunner: QueryRunner, table: string): Promise<string[]> {
	const rows: Array<{ name: string }> = await queryRunner.query(`
		SELECT a.attname AS "name"
		FROM pg_constraint c
		CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
		WHERE c.conrelid = to_regclass($1) AND c.contype = 'p'
		ORDER BY k.position`, [`"${table}"`]);
	return rows.map((row) => row.name);
}

const describeDefault = (value: string | null) => (value === null ? 'no default' : `default ${value}`);

/** Every way the existing table differs from `shape`, one readable line each; empty when it matches. */
export async function shapeDifferences(queryRunner: QueryRunner, shape: MisskeyTableShape): Promise<string[]> {
	const found = new Map((await columnsOf(queryRunner, shape.table)).map((column) => [column.name, column]));
	const differences: string[] = [];
	for (const expected of shape.columns) {
		const column = found.get(expected.name);
		found.delete(expected.name);
		if (!column) {
			differences.push(`column "${expected.name}" is missing (expected ${expected.type}${expected.notNull ? ' NOT NULL' : ''})`);
			continue;
		}
		if (column.type !== expected.type) differences.push(`column "${expected.name}": expected type ${expected.type}, found ${column.type}`);
		if (column.notNull !== expected.notNull) {
			differences.push(`column "${expected.name}": expected ${expected.notNull ? 'NOT NULL' : 'nullable'}, found ${column.notNull ? 'NOT NULL' : 'nullable'}`);
		}
		if (!expected.defaults.includes(column.default)) {
			differences.push(`column "${expected.name}": expected ${describeDefault(expected.defaults[0])}, found ${describeDefault(column.default)}`);
		}
	}
	for (const extra of found.values()) differences.push(`column "${extra.name}" (${extra.type}) is not one of Misskey's`);
	const primaryKey = await primaryKeyOf(queryRunner, shape.table);
	if (primaryKey.join(',') !== shape.primaryKey.join(',')) {
		differences.push(`primary key: expected (${shape.primaryKey.join(', ')}), found ${primaryKey.length ? `(${primaryKey.join(', ')})` : 'none'}`);
	}
	return differences;
}

/** Thrown when a table of the module's name exists with another shape: adopting it could break Misskey or the module. */
export class MisskeyTableShapeError extends Error {
	constructor(readonly table: string, readonly differences: string[]) {
		super(`Table "${table}" exists but is not shaped as Misskey leaves it, so the webhook module will not adopt it `
			+ `(nothing was changed): ${differences.join('; ')}.`);
		this.name = 'MisskeyTableShapeError';
	}
}

/** Throws MisskeyTableShapeError for the first of these tables that exists with another shape; changes nothing. */
export async function assertAdoptable(queryRunner: QueryRunner, shapes: MisskeyTableShape[]): Promise<void> {
	for (const shape of shapes) {
		if (!(await tableExists(queryRunner, shape.table))) continue;
		const differences = await shapeDifferences(queryRunner, shape);
		if (differences.length > 0) throw new MisskeyTableShapeError(shape.table, differences);
	}
}

/**
 * If Misskey already made this table, checks its shape and records that it was adopted, and returns true: the caller
 * then creates nothing. Returns false when the table does not exist (a fresh database).
 */
export async function adoptIfPresent(queryRunner: QueryRunner, shape: MisskeyTableShape): Promise<boolean> {
	if (!(await tableExists(queryRunner, shape.table))) return false;
	await assertAdoptable(queryRunner, [shape]);
	await queryRunner.query(`CREATE TABLE IF NOT EXISTS "${adoptionTable}" (
		"tableName" character varying(64) NOT NULL,
		"adoptedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
		CONSTRAINT "PK_webhook_module_adoption" PRIMARY KEY ("tableName"))`);
	await queryRunner.query(`INSERT INTO "${adoptionTable}" ("tableName") VALUES ($1) ON CONFLICT DO NOTHING`, [shape.table]);
	return true;
}

/**
 * On revert: forgets an adopted table and returns true (the caller must leave it, it is Misskey's), or returns false
 * when the module created it. Databases migrated before adoption existed have no record: the module created their tables.
 */
export async function releaseIfAdopted(queryRunner: QueryRunner, table: MisskeyTableShape['table']): Promise<boolean> {
	if (!(await tableExists(queryRunner, adoptionTable))) return false;
	const [, deleted] = await queryRunner.query(`DELETE FROM "${adoptionTable}" WHERE "tableName" = $1`, [table]);
	return deleted > 0;
}

/** Removes the adoption record once no adopted table is left (the last revert step). */
export async function dropAdoptionRecordIfEmpty(queryRunner: QueryRunner): Promise<void> {
	if (!(await tableExists(queryRunner, adoptionTable))) return;
	const [{ count }] = await queryRunner.query(`SELECT count(*)::int AS "count" FROM "${adoptionTable}"`);
	if (count === 0) await queryRunner.query(`DROP TABLE "${adoptionTable}"`);
}
