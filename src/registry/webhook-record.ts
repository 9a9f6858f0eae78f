import type { WebhookEntity } from '../store/webhook.entity.js';
import { webhookTimestampColumns, type LeanWebhookRow } from '../store/webhook-store.js';
import { RETRY_POLICY_NAMES } from '../core/retry-policy-name.js';
import type { SecretRotationState } from '../signing/secret-rotation.js';
import type { EventTypeSet, EventTypeSets } from './event-type-set.js';
import { PAYLOAD_FORMATS } from '../core/payload-format.js';

/** A row the index takes: an entity (from an event or a test) or a lean row (from the start-up load). */
export type WebhookRowInput = WebhookEntity | LeanWebhookRow;

/**
 * How the index keeps one active webhook: every column of the row, in as few heap bytes as it can (with 100,000
 * webhooks, each field costs about 1 MB). The strings the sender needs are kept as they are; `on` is a shared
 * EventTypeSet; small enumerated columns are packed into one integer; timestamps are epoch milliseconds (a Date costs
 * ten times more); the columns that are null on nearly every active webhook (rotation, failure streak, pause) live in
 * `rare`, which stays null until one is set. `rowOf` gives the row back, equal to the one put.
 *
 * Adding a column to `webhook`: a small enumerated one (a few known values) gets a line in `packedColumns` and a
 * named read in `packedValue`; a column usually null, a line in `rareColumns`; anything read on every delivery, a
 * field here set in `recordOf`. Each also gets its line in `rowOf`. A test fails until every column of the entity
 * is kept and rebuilt.
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

/** The columns packed into `WebhookRecord.packed`, with the values each may take; any other value goes to `rare`. */
const packedColumns = [
	['active', [false, true]],
	['retryPolicy', RETRY_POLICY_NAMES],
	['sendSecretHeader', [false, true]],
	['excludeSpecifiedNotes', [false, true]],
	['excludeFollowersNotes', [false, true]],
	['format', PAYLOAD_FORMATS],
] as const satisfies ReadonlyArray<readonly [keyof WebhookEntity, readonly unknown[]]>;

/** The columns kept in `WebhookRecord.rare`: null on almost every active webhook. */
const rareColumns = [
	'previousSecret',
	'previousSecretExpiresAt',
	'failingSince',
	'pausedBy',
	'pausedReason',
	'pausedAt',
	'pausedByUserId',
] as const satisfies ReadonlyArray<keyof WebhookEntity>;

/** The columns that are fields of WebhookRecord. */
const fieldColumns = ['id', 'userId', 'name', 'url', 'secret', 'on', 'latestSentAt', 'latestStatus'] as const satisfies ReadonlyArray<keyof WebhookEntity>;

/** Every column the record keeps, for the test that holds it to the entity. */
export const recordedColumns: readonly string[] = [...fieldColumns, ...packedColumns.map(([column]) => column), ...rareColumns];

interface PackedLayout {
	column: typeof packedColumns[number][0];
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

const layoutOf = Object.fromEntries(packedLayout.map((layout) => [layout.column, layout])) as Record<PackedLayout['column'], PackedLayout>;

// A packed column's value: its code's value, or the value kept in `rare` when the code is 0.
function unpack(record: WebhookRecord, { column, values, shift, width }: PackedLayout): unknown {
	const code = (record.packed >>> shift) & ((1 << width) - 1);
	return code === 0 ? record.rare?.[column] : values[code - 1];
}

const timestampColumns = new Set<string>(webhookTimestampColumns);

/** The record of an active row; `userId` may be an equal string already held (one copy per owner). */
export function recordOf(row: WebhookRowInput, sets: EventTypeSets, userId: string = row.userId): WebhookRecord {
	// The usual row, read field by field (this runs for every webhook at start); anything else takes the general way.
	const usual = row.previousSecret === null && row.previousSecretExpiresAt === null && row.failingSince === null
		&& row.pausedBy === null && row.pausedReason === null && row.pausedAt === null && row.pausedByUserId === null;
	let packed = usual ? packUsual(row) : -1;
	let rare: Record<string, unknown> | null = null;
	if (packed < 0) ({ packed, rare } = packGeneral(row));
	return new WebhookRecord(
		row.id,
		userId,
		row.name,
		row.url,
		row.secret,
		typeof row.on === 'string' ? sets.ofJson(row.on) : sets.of(row.on),
		packed,
		epochOf(row.latestSentAt) as number | null,
		row.latestStatus,
		rare && Object.freeze(rare),
	);
}

// The packed columns of a row whose every packed value is a known one; -1 when one is not.
function packUsual(row: WebhookRowInput): number {
	let packed = 0;
	for (const { column, values, shift } of packedLayout) {
		const code = values.indexOf(packedValue(row, column)) + 1;
		if (code === 0) return -1;
		packed |= code << shift;
	}
	return packed;
}

// Named reads of the packed columns: several times quicker than a keyed read on a row of 20 columns.
function packedValue(row: WebhookRowInput, column: string): unknown {
	switch (column) {
		case 'active': return row.active;
		case 'retryPolicy': return row.retryPolicy;
		case 'sendSecretHeader': return row.sendSecretHeader;
		case 'excludeSpecifiedNotes': return row.excludeSpecifiedNotes;
		case 'excludeFollowersNotes': return row.excludeFollowersNotes;
		case 'format': return row.format;
		default: return (row as unknown as Record<string, unknown>)[column];
	}
}

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
 * every matched webhook of every event, so it is one object literal (every column at once, one shape): a WebhookEntity
 * instance filled column by column took four times longer. The entity class has no methods; only its columns are read.
 */
export function rowOf(record: WebhookRecord): WebhookEntity {
	const row: WebhookEntity = {
		id: record.id,
		userId: record.userId,
		name: record.name,
		// Spread, not slice: slice on a frozen array takes a slow path (about 50 times longer).
		on: [...record.types.on] as WebhookEntity['on'],
		url: record.url,
		secret: record.secret,
		active: unpack(record, layoutOf.active) as boolean,
		latestSentAt: dateOf(record.latestSentAt),
		latestStatus: record.latestStatus,
		retryPolicy: unpack(record, layoutOf.retryPolicy) as WebhookEntity['retryPolicy'],
		sendSecretHeader: unpack(record, layoutOf.sendSecretHeader) as boolean,
		excludeSpecifiedNotes: unpack(record, layoutOf.excludeSpecifiedNotes) as boolean,
		excludeFollowersNotes: unpack(record, layoutOf.excludeFollowersNotes) as boolean,
		format: unpack(record, layoutOf.format) as WebhookEntity['format'],
		previousSecret: null,
		previousSecretExpiresAt: null,
		failingSince: null,
		pausedBy: null,
		pausedReason: null,
		pausedAt: null,
		pausedByUserId: null,
	};
	const { rare } = record;
	if (rare) {
		const columns = row as unknown as Record<string, unknown>;
		for (const column of rareColumns) if (column in rare) columns[column] = timestampColumns.has(column) ? dateOf(rare[column]) : rare[column];
	}
	return row;
}

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
