import type { WebhookKindName } from './webhook-kind.js';
import type { RetryPolicyName } from './retry-policy-name.js';
import { PAYLOAD_FORMATS } from './payload-format.js';
import { TEMPLATE_CONTENT_TYPES } from './template-content-type.js';
import type { WebhookFilter } from '../generated/webhook-filter.js';
import { checkFilter } from '../filter/check-filter.js';

/**
 * One per-webhook option, declared once: everything else (the entity column, the API param and its check, the key in
 * answers, the copy in a delivery's job and outbox row, the registry's packing, a revived row's fallback) derives from
 * it. Adding an option: docs/webhook-options.md.
 */
export interface WebhookOptionDescriptor<Value extends string | boolean | WebhookFilter | null = string | boolean | WebhookFilter | null> {
	/** The webhook tables that have the column. */
	readonly kinds: readonly WebhookKindName[];
	/**
	 * The column's SQL type as TypeORM declares it; its default is `default`. A `jsonb` option holds a structured value
	 * (null when unset), checked by `structured`, kept by the registry beside the rare columns, never packed.
	 */
	readonly column: { readonly type: 'boolean' } | { readonly type: 'varchar'; readonly length: number } | NumberColumn | TextColumn | { readonly type: 'jsonb'; readonly nullable: true };
	/**
	 * Every value it takes: the API's enum, and what the registry packs into a few bits. A number option lists only
	 * `null` (unset, as on nearly every webhook): its numbers are in `range`, and the registry keeps them aside; a text
	 * option likewise, its text checked where it is used (a template: api/params/template-param.ts). A `jsonb` option
	 * lists none.
	 */
	readonly values: readonly Value[];
	/** A number option's numbers: the API refuses any outside them. */
	readonly range?: NumberRange;
	/** A `jsonb` option's check: the value as given, or the place in it that is wrong and why (an INVALID_PARAM). */
	readonly structured?: (value: unknown) => { ok: true } | { ok: false; at: string; reason: string };
	/** The column default: a webhook created without it, or a row announced by a process that does not know it. */
	readonly default: Value;
	/** The module option whose value a create without it takes instead of `default`. */
	readonly createdFrom?: 'defaultRetryPolicy';
	/** Shown in moderators' answers (`ModeratorUserWebhook`) too. */
	readonly shownToModerators?: boolean;
	/**
	 * Copied into every delivery's job and outbox row when it is queued, so the sender reads no webhook row: `absent` is
	 * what a job naming none means (a job shaped as Misskey's), `outboxDefault` the outbox column's default, if any.
	 */
	readonly job?: { readonly absent: Value; readonly outboxDefault?: Value };
}

/** A nullable text column (null: unset): free text of any length, bounded by the check of what it holds. */
export interface TextColumn {
	readonly type: 'text';
	readonly nullable: true;
}

/** A nullable number column (null: unset); `range` bounds its values. */
export interface NumberColumn {
	readonly type: 'double precision' | 'integer';
	readonly nullable: true;
}

/** The numbers a number option takes. */
export interface NumberRange {
	readonly minimum: number;
	readonly maximum: number;
	readonly integer: boolean;
}

const both = ['user', 'system'] as const;
const booleans = [false, true] as const;
// A structured option's values are not listed; this only names their type.
const filters: readonly (WebhookFilter | null)[] = [];

/** A number or text option of both kinds, null (unset) unless set, that every delivery copies (null when its job names none). */
function unsetByDefault<Column extends NumberColumn | TextColumn>(column: Column) {
	return { kinds: both, column, values: [null], default: null, job: { absent: null } } as const;
}

/** Every per-webhook option, in the order answers list them. */
export const webhookOptions = {
	/** The retry preset of the webhook's deliveries (delivery/retry/retry-policy.ts). */
	retryPolicy: {
		kinds: both,
		column: { type: 'varchar', length: 16 },
		// In the order the README lists them.
		values: ['standard', 'misskey'] as const satisfies readonly RetryPolicyName[],
		default: 'standard',
		createdFrom: 'defaultRetryPolicy',
		// A job without a preset is Misskey's, and so is its schedule.
		job: { absent: 'misskey' },
	},
	/** Whether `X-Misskey-Hook-Secret` (the secret in clear) is still sent beside the signature. */
	sendSecretHeader: {
		kinds: both,
		column: { type: 'boolean' },
		values: booleans,
		default: true,
		job: { absent: true, outboxDefault: true },
	},
	/** Leave direct (`specified`) notes out of `note` events. */
	excludeSpecifiedNotes: {
		kinds: ['user'],
		column: { type: 'boolean' },
		values: booleans,
		default: false,
	},
	/** Leave followers-only notes out of `note` events. */
	excludeFollowersNotes: {
		kinds: ['user'],
		column: { type: 'boolean' },
		values: booleans,
		default: false,
	},
	/** The body's format: Misskey's envelope, or a message one service's webhook URL takes (delivery/format/). */
	format: {
		kinds: both,
		column: { type: 'varchar', length: 16 },
		values: PAYLOAD_FORMATS,
		default: 'misskey',
		shownToModerators: true,
		job: { absent: 'misskey', outboxDefault: 'misskey' },
	},
	/** At most this many deliveries a second, shared by every worker process (delivery/queue/webhook-rate.ts); null: the format's default. */
	deliveryRate: { ...unsetByDefault({ type: 'double precision', nullable: true }), range: { minimum: 0.01, maximum: 1000, integer: false } },
	/** How many deliveries may go at once after a quiet spell before `deliveryRate` spaces them; null: the default. */
	deliveryBurst: { ...unsetByDefault({ type: 'integer', nullable: true }), range: { minimum: 1, maximum: 1000, integer: true } },
	/**
	 * A payload template that makes the body instead of the format, or null (delivery/format/template/): checked when
	 * saved against the events the webhook takes, rendered at every attempt.
	 */
	template: unsetByDefault({ type: 'text', nullable: true }),
	/** What the template renders to, and the `Content-Type` its body is sent with. */
	templateContentType: {
		kinds: both,
		column: { type: 'varchar', length: 32 },
		values: TEMPLATE_CONTENT_TYPES,
		default: 'application/json',
		job: { absent: 'application/json', outboxDefault: 'application/json' },
	},
	/** A content filter on the event body (src/filter/, docs/filters.md); null delivers every event. */
	filter: {
		kinds: both,
		column: { type: 'jsonb', nullable: true },
		values: filters,
		default: null,
		structured: checkFilter,
	},
} as const satisfies Record<string, WebhookOptionDescriptor>;

type Options = typeof webhookOptions;
export type WebhookOptionName = keyof Options;

/** The value type of one option: one of its values, or for a number option a number too, for a text option a string. */
export type WebhookOptionValue<Name extends WebhookOptionName> = Options[Name] extends { range: NumberRange } ? number | null
	: Options[Name] extends { column: TextColumn } ? string | null
	: Options[Name]['values'][number];

/** The names of the options a kind of webhook has. */
export type WebhookOptionNameOf<Kind extends WebhookKindName> = {
	[Name in WebhookOptionName]: Kind extends Options[Name]['kinds'][number] ? Name : never;
}[WebhookOptionName];

/** The names of the options a delivery copies into its job. */
export type JobOptionName = { [Name in WebhookOptionName]: Options[Name] extends { job: object } ? Name : never }[WebhookOptionName];

/** The options of a kind of webhook, with their values. */
export type WebhookOptionValues<Kind extends WebhookKindName> = { [Name in WebhookOptionNameOf<Kind>]: WebhookOptionValue<Name> };

/** The options a delivery copies, with their values. */
export type JobOptionValues = { [Name in JobOptionName]: WebhookOptionValue<Name> };

/** One option with its name, for the code that walks them all. */
export type NamedWebhookOption = WebhookOptionDescriptor & { readonly name: WebhookOptionName };

const named: readonly NamedWebhookOption[] = Object.entries(webhookOptions).map(([name, descriptor]) => ({ ...descriptor, name: name as WebhookOptionName }));

/** The options a kind of webhook has, in answer order. */
export function webhookOptionsOf(kind: WebhookKindName): readonly NamedWebhookOption[] {
	return kind === 'user' ? userOptions : systemOptions;
}

const userOptions = named.filter((option) => option.kinds.includes('user'));
const systemOptions = named.filter((option) => option.kinds.includes('system'));

/** An option a delivery copies, with its name. */
export type NamedJobOption = NamedWebhookOption & { readonly name: JobOptionName; readonly job: NonNullable<WebhookOptionDescriptor['job']> };

/** The options every delivery copies into its job and outbox row. */
export const jobOptions: readonly NamedJobOption[] = named.filter((option): option is NamedJobOption => option.job !== undefined);

/** Whether `value` is one the option takes: one of its values, or for a structured option null or a value its check passes. */
export function isOptionValue(option: WebhookOptionDescriptor, value: unknown): boolean {
	if (option.structured) return value === null || option.structured(value).ok;
	if ((option.values as readonly unknown[]).includes(value)) return true;
	if (option.column.type === 'text') return typeof value === 'string';
	const { range } = option;
	return range !== undefined && typeof value === 'number' && value >= range.minimum && value <= range.maximum && (!range.integer || Number.isInteger(value));
}

/** Whether the registry packs the option into bits (an enumerated one) rather than keeping its value. */
export function isPackedOption(option: WebhookOptionDescriptor): boolean {
	return option.structured === undefined;
}

/**
 * The options a kind has whose unset value is null (a number or a filter: nullable columns without a default), each
 * null: a create spreads it first, so the row it returns is the row as stored whether or not they were given.
 */
export function unsetOptionsOf(kind: WebhookKindName): Readonly<Record<string, null>> {
	return kind === 'user' ? unsetUserOptions : unsetSystemOptions;
}

const unsetOf = (options: readonly NamedWebhookOption[]) => Object.freeze(Object.fromEntries(options.filter((option) => option.default === null).map((option) => [option.name, null])));
const unsetUserOptions = unsetOf(userOptions);
const unsetSystemOptions = unsetOf(systemOptions);
