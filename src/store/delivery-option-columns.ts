import { Column } from 'typeorm';
import { jobOptions, webhookOptionsOf, type JobOptionValues, type NamedWebhookOption, type WebhookOptionValues } from '../core/webhook-options.js';
import type { WebhookKindName } from '../core/webhook-kind.js';

/** The secret rotation's columns, which both webhook tables and the outbox share (migration DeliveryOptions1700000400000). */
export abstract class RotationColumns {
	/** The secret replaced last; it keeps signing until `previousSecretExpiresAt` (rotation grace period). */
	@Column({ type: 'varchar', length: 1024, nullable: true })
	previousSecret!: string | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	previousSecretExpiresAt!: Date | null;
}

/** The columns both webhook tables add to Misskey's: the secret rotation, the failure streak and their options. */
export abstract class WebhookColumns extends RotationColumns {
	/** Start of the current run of failed deliveries; any success clears it (auto-disable window). */
	@Column({ type: 'timestamp with time zone', nullable: true })
	failingSince!: Date | null;
}

/**
 * The columns the two webhook tables declare alike: Misskey's receiver and last delivery (`MiWebhook`,
 * `MiSystemWebhook`), and our pause record's reason and time. Each entity keeps the columns whose names, types or
 * indexes differ.
 */
export abstract class SharedWebhookColumns extends WebhookColumns {
	@Column({ type: 'varchar', length: 1024 })
	url!: string;

	@Column({ type: 'varchar', length: 1024 })
	secret!: string;

	@Column({ type: 'timestamp with time zone', nullable: true })
	latestSentAt!: Date | null;

	@Column({ type: 'integer', nullable: true })
	latestStatus!: number | null;

	// Null while the webhook is not paused.

	@Column({ type: 'varchar', length: 512, nullable: true })
	pausedReason!: string | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	pausedAt!: Date | null;
}

/** What both kinds of webhook row carry beyond Misskey's columns, the options both have included. */
export type DeliveryOptionColumns = WebhookColumns & WebhookOptionValues<'system'>;

type AbstractClass<Instance> = abstract new () => Instance;

/**
 * The base class of a kind's entity: `SharedWebhookColumns` and a column per option the kind has, each declared from its
 * descriptor (core/webhook-options.ts), so an option added there is a column here without a line of its own.
 */
export function webhookColumnsOf<Kind extends WebhookKindName>(kind: Kind): AbstractClass<SharedWebhookColumns & WebhookOptionValues<Kind>> {
	abstract class OptionColumns extends SharedWebhookColumns {}
	declareColumns(OptionColumns, webhookOptionsOf(kind), (option) => option.default);
	return OptionColumns as unknown as AbstractClass<SharedWebhookColumns & WebhookOptionValues<Kind>>;
}

/** The outbox's base class: the rotation columns and a copy of every option a delivery copies from its webhook. */
export function outboxColumns(): AbstractClass<RotationColumns & JobOptionValues> {
	abstract class CopiedOptionColumns extends RotationColumns {}
	declareColumns(CopiedOptionColumns, jobOptions, (option) => option.job?.outboxDefault);
	return CopiedOptionColumns as unknown as AbstractClass<RotationColumns & JobOptionValues>;
}

function declareColumns(target: abstract new () => object, options: readonly NamedWebhookOption[], defaultOf: (option: NamedWebhookOption) => unknown): void {
	for (const option of options) {
		const fallback = defaultOf(option);
		// A structured option's column is nullable and has no default: null is its unset value.
		Column(fallback === undefined || fallback === null ? { ...option.column } : { ...option.column, default: fallback })(target.prototype, option.name);
	}
}
