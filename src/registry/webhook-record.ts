import type { WebhookEntity } from '../store/webhook.entity.js';
import { webhookTimestampColumns, type CompactReadLayout } from '../store/webhook-store.js';
import type { SecretRotationState } from '../signing/secret-rotation.js';
import type { EventTypeSet, EventTypeSets } from './event-type-set.js';
import { isPackedOption, webhookOptionsOf } from '../core/webhook-options.js';

/** A row the index takes from an event, a reload in a test, or `rowOf`. */
export type WebhookRowInput = WebhookEntity;

/**
 * A row as the start-up load reads it (`compactReadLayout`): the record's own fields, its packed integer as PostgreSQL
 * computed it, and the JSON text of its packed and rare columns when any of them is away from the usual, else null.
 */
export type CompactWebhookRow = readonly [
	id: string, userId: string, name: string, on: string, url: string, secret: string,
	latestSentAt: number | null, latestStatus: number | null, packed: number, unusual: string | null,
];

/**
 * How the index keeps one active webhook: every column of the row, in as few heap bytes as it can (with 100,000
 * webhooks, every field counts: docs/registry.md). The strings the sender needs are kept as they are; `on` is a shared
 * EventTypeSet; small enumerated columns are packed into one integer; timestamps are epoch milliseconds (a Date costs
 * far more); the columns that are null on nearly every active webhook (rotation, failure streak, pause) live in
 * `rare`, which stays null until one is set. `rowOf` gives the row back, equal to the one put.
 *
 * Adding a column to `webhook`: a webhook option is packed from its descriptor (core/webhook-options.ts) with nothing
 * to add here; another small enumerated column gets a line in `packedColumns`; a column usually null, a line in
 * `rareColumns`; anything read on every delivery, a field here set in `recordOf` and its line in `rowOf`. A test fails
 * until every column of the entity is kept and rebuilt.
 */
export class WebhookRecord {
	constructor(
		readonly id: string,
		readonly userId: string,
		readonly name: string,
		readonly url: string,
		readonly secret: string,
		readonly types: EventTypeSet,
		/** The `packedColumns`, each in its own bits; 0 in a column's bits sends its value to `rare`. */
		readonly packed: number,
		readonly latestSentAt: number | null,
		readonly latestStatus: number | null,
		readonly rare: Readonly<Record<string, unknown>> | null,
	) {}
}

/**
 * The columns packed into `WebhookRecord.packed`, with the values each may take; any other value goes to `rare`. Every
 * webhook option is one: its descriptor lists its values.
 */
const packedColumns: ReadonlyArray<readonly [keyof WebhookEntity, readonly unknown[]]> = [
	['active', [false, true]],
	...webhookOptionsOf('user').filter(isPackedOption).map((option) => [option.name, option.values] as const),
];

/**
 * The columns kept in `WebhookRecord.rare`: null on almost every active webhook. A structured option (a filter) is
 * one: its value is kept as it is, one object shared by every row rebuilt from the record.
 */
const rareColumns: ReadonlyArray<keyof WebhookEntity> = [
	'previousSecret',
	'previousSecretExpiresAt',
	'failingSince',
	'pausedBy',
	'pausedReason',
	'pausedAt',
	'pausedByUserId',
	...webhookOptionsOf('user').filter((option) => !isPackedOption(option)).map((option) => option.name),
];

/** The columns that are fields of WebhookRecord. */
const fieldColumns = ['id', 'userId', 'name', 'on', 'url', 'secret', 'latestSentAt', 'latestStatus'] as const satisfies ReadonlyArray<keyof WebhookEntity>;

/** Every column the record keeps, for the test that holds it to the entity. */
export const recordedColumns: readonly string[] = [...fieldColumns, ...packedColumns.map(([column]) => column), ...rareColumns];

interface PackedLayout {
	column: keyof WebhookEntity;
	values: readonly unknown[];
	shift: number;
	width: number;
}

const packedLayout: readonly PackedLayout[] = (() => {
	let shift = 0;
	return packedColumns.map(([column, values]) => {
		// Code 0 means "in rare", so n values need room for n + 1 codes.
		const width = Math.ceil(Math.log2(values.length + 1));
		const layout = { column, values, shift, width };
		shift += width;
		if (shift > 30) throw new Error('packed webhook columns no longer fit a small integer');
		return layout;
	});
})();

/** How the start-up load asks PostgreSQL for rows (`WebhookStore.forEachActiveCompact`), as `CompactWebhookRow`s. */
export const compactReadLayout: CompactReadLayout = {
	fields: fieldColumns,
	packed: packedLayout.map(({ column, values, shift }) => ({ column, values, shift })),
	rare: rareColumns,
};

/** The record of a row as the start-up load read it; `userId` may be an equal string already held (one copy per owner). */
export function recordOfCompact(row: CompactWebhookRow, sets: EventTypeSets, userId: string = row[1]): WebhookRecord {
	const [id, , name, on, url, secret, latestSentAt, latestStatus, packed, unusual] = row;
	return new WebhookRecord(id, userId, name, url, secret, sets.ofJson(on), packed, latestSentAt, latestStatus, unusual === null ? null : rareOf(unusual, packed));
}

// `rare` from the JSON of every packed and rare column: the packed ones whose code is 0, the rare ones not null.
function rareOf(unusual: string, packed: number): Readonly<Record<string, unknown>> | null {
	const columns = JSON.parse(unusual) as Record<string, unknown>;
	let rare: Record<string, unknown> | null = null;
	for (const { column, shift, width } of packedLayout) {
		if (((packed >>> shift) & ((1 << width) - 1)) === 0) (rare ??= {})[column] = columns[column];
	}
	for (const column of rareColumns) if (columns[column] !== null) (rare ??= {})[column] = columns[column];
	return rare && Object.freeze(rare);
}

// A packed column's value: its code's value, or the value kept in `rare` when the code is 0.
function unpack(record: WebhookRecord, { column, values, shift, width }: PackedLayout): unknown {
	const code = (record.packed >>> shift) & ((1 << width) - 1);
	return code === 0 ? record.rare?.[column] : values[code - 1];
}

// A column name as it may stand in generated code: our own names only, never data.
function identifier(column: string): string {
	if (!/^[A-Za-z_]\w*$/.test(column)) throw new Error(`not a column name: ${column}`);
	return column;
}

const timestampColumns = new Set<string>(webhookTimestampColumns);

/** The record of an active row; `userId` may be an equal string already held (one copy per owner). */
export function recordOf(row: WebhookRowInput, sets: EventTypeSets, userId: string = row.userId): WebhookRecord {
	// The usual row, read field by field (this runs for every webhook at start); anything else takes the general way.
	const usual = row.previousSecret === null && row.previousSecretExpiresAt === null && row.failingSince === null
		&& row.pausedBy === null && row.pausedReason === null && row.pausedAt === null && row.pausedByUserId === null
		&& (row.filter === null || row.filter === undefined);
	let packed = usual ? packUsual(row) : -1;
	let rare: Record<string, unknown> | null = null;
	if (packed < 0) ({ packed, rare } = packGeneral(row));
	return new WebhookRecord(
		row.id,
		userId,
		row.name,
		row.url,
		row.secret,
		sets.of(row.on),
		packed,
		epochOf(row.latestSentAt) as number | null,
		row.latestStatus,
		rare && Object.freeze(rare),
	);
}

// The packed columns of a row whose every packed value is a known one; -1 when one is not. It runs for every webhook
// at start, so each column is read by its name (a keyed read is slower), in code written once from the
// column list when the module loads.
const packUsual = new Function('layouts', `return (row) => {
	let packed = 0;
	let code;
	${packedLayout.map((layout, index) => `code = layouts[${index}].values.indexOf(row.${identifier(layout.column)}) + 1;
	if (code === 0) return -1;
	packed |= code << ${layout.shift};`).join('\n\t')}
	return packed;
};`)(packedLayout) as (row: WebhookRowInput) => number;

// Any row: a packed column with an unknown value and every non-null rare column go to `rare`.
function packGeneral(row: WebhookRowInput): { packed: number; rare: Record<string, unknown> | null } {
	const columns = row as unknown as Record<string, unknown>;
	let rare: Record<string, unknown> | null = null;
	let packed = 0;
	for (const { column, values, shift } of packedLayout) {
		const code = values.indexOf(columns[column]) + 1;
		if (code === 0) (rare ??= {})[column] = columns[column];
		packed |= code << shift;
	}
	for (const column of rareColumns) {
		const value = columns[column];
		if (value !== null) (rare ??= {})[column] = timestampColumns.has(column) ? epochOf(value) : value;
	}
	return { packed, rare };
}

/**
 * The row a record was made from: a new object each call, so no caller can change what the index holds. It runs for
 * every matched webhook of every event, so it is one object literal with every column (one shape for every row): rows
 * built column by column, or with the options added after the literal, were markedly slower (docs/performance.md). The
 * literal names the option columns, so it is written once from their descriptors when the module loads. The entity
 * class has no methods; only its columns are read.
 */
export function rowOf(record: WebhookRecord): WebhookEntity {
	const row = buildRow(record, unpack, dateOf);
	const { rare } = record;
	if (rare) {
		const columns = row as unknown as Record<string, unknown>;
		for (const column of rareColumns) if (column in rare) columns[column] = timestampColumns.has(column) ? dateOf(rare[column]) : rare[column];
	}
	return row;
}

type RowBuilder = (record: WebhookRecord, unpackColumn: typeof unpack, date: typeof dateOf) => WebhookEntity;

const buildRow: RowBuilder = (() => {
	const layouts = packedLayout.map((layout, index) => `${identifier(layout.column)}: unpack(record, layouts[${index}])`);
	const nulls = rareColumns.map((column) => `${identifier(column)}: null`);
	const literal = [
		'id: record.id',
		'userId: record.userId',
		'name: record.name',
		// Spread, not slice: slice on a frozen array takes a slow path.
		'on: [...record.types.on]',
		'url: record.url',
		'secret: record.secret',
		'latestSentAt: date(record.latestSentAt)',
		'latestStatus: record.latestStatus',
		...layouts,
		...nulls,
	];
	const make = new Function('layouts', `return (record, unpack, date) => ({ ${literal.join(', ')} });`) as (layouts: readonly PackedLayout[]) => RowBuilder;
	return make(packedLayout);
})();

/** The secrets a delivery signs with, read without rebuilding the whole row. */
export function secretsOf(record: WebhookRecord): SecretRotationState {
	const previousSecret = record.rare?.previousSecret;
	return {
		secret: record.secret,
		previousSecret: typeof previousSecret === 'string' ? previousSecret : null,
		previousSecretExpiresAt: dateOf(record.rare?.previousSecretExpiresAt ?? null) as Date | null,
	};
}

// A timestamp as epoch milliseconds; null and undefined (a row built without the column) stay as they are.
function epochOf(value: unknown): unknown {
	return value instanceof Date ? value.getTime() : value;
}

// A fresh Date for epoch milliseconds, so no two rows share one.
function dateOf(value: unknown): Date | null {
	return typeof value === 'number' ? new Date(value) : (value as Date | null);
}
