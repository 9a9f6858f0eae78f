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

/** What both kinds of webhook row carry beyond Misskey's columns, the options both have included. */
export type DeliveryOptionColumns = WebhookColumns & WebhookOptionValues<'system'>;

type AbstractClass<Instance> = abstract new () => Instance;

/**
 * The base class of a kind's entity: `WebhookColumns` and a column per option the kind has, each declared from its
 * descriptor (core/webhook-options.ts), so an option added there is a column here without a line of its own.
 */
export function webhookColumnsOf<Kind extends WebhookKindName>(kind: Kind): AbstractClass<WebhookColumns & WebhookOptionValues<Kind>> {
	abstract class OptionColumns extends WebhookColumns {}
	declareColumns(OptionColumns, webhookOptionsOf(kind), (option) => option.default);
	return OptionColumns as unknown as AbstractClass<WebhookColumns & WebhookOptionValues<Kind>>;
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
