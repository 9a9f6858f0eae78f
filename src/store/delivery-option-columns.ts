import { Column } from 'typeorm';
import type { RetryPolicyName } from '../core/retry-policy-name.js';
import type { PayloadFormat } from '../core/payload-format.js';

/**
 * Columns both webhook tables share beyond Misskey's (migration DeliveryOptions1700000400000), inherited by the two
 * entities so the delivery code reads them the same way for either kind.
 */
export abstract class DeliveryOptionColumns {
	/** Retry preset of this webhook's deliveries. */
	@Column({ type: 'varchar', length: 16, default: 'standard' })
	retryPolicy!: RetryPolicyName;

	/** Whether `X-Misskey-Hook-Secret` (the secret in clear) is still sent beside the signature. */
	@Column({ type: 'boolean', default: true })
	sendSecretHeader!: boolean;

	/** The secret replaced last; it keeps signing until `previousSecretExpiresAt` (rotation grace period). */
	@Column({ type: 'varchar', length: 1024, nullable: true })
	previousSecret!: string | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	previousSecretExpiresAt!: Date | null;

	/** Start of the current run of failed deliveries; any success clears it (auto-disable window). */
	@Column({ type: 'timestamp with time zone', nullable: true })
	failingSince!: Date | null;

	/** The body's format (migration PayloadFormat1700000610000): Misskey's envelope, or a Discord or Slack message. */
	@Column({ type: 'varchar', length: 16, default: 'misskey' })
	format!: PayloadFormat;
}
