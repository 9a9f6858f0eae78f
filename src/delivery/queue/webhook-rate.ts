import type Bull from 'bull';
import type { Redis } from 'ioredis';
import type { WebhookDeliverJobData } from '../job/job-data.js';
import { jobFormatOf } from '../job/job-format.js';
import type { PayloadFormat } from '../../core/payload-format.js';
import type { DeliveryOutcome } from '../retry/outcome.js';
import { RATE_PUSH_BACK_SCRIPT, RATE_TAKE_SCRIPT } from './webhook-rate-scripts.js';

/** A webhook's delivery rate: deliveries a second, and how many may go at once after a quiet spell. */
export interface DeliveryRate {
	readonly perSecond: number;
	readonly burst: number;
}

/**
 * What a webhook of each format gets when its owner sets no rate (docs/rate-limits.md). Discord answers 429 beyond
 * 5 requests per 2 s per webhook: one every 500 ms keeps any 2 s window at 4, with room for network jitter. Slack's
 * incoming webhooks take 1 message a second with short bursts. Teams workflows and Gotify publish no per-webhook rate.
 */
export const FORMAT_DEFAULT_RATES: Readonly<Partial<Record<PayloadFormat, DeliveryRate>>> = {
	discord: { perSecond: 2, burst: 1 },
	slack: { perSecond: 1, burst: 2 },
	// Telegram: at most 20 messages a minute from a bot into one group (about one a second in a private chat).
	telegram: { perSecond: 20 / 60, burst: 1 },
	// Google Chat: one message written per second into a space.
	googlechat: { perSecond: 1, burst: 1 },
	// ntfy's default server settings (ntfy.sh's too): 60 requests at once per visitor, then one every 5 seconds.
	ntfy: { perSecond: 0.2, burst: 60 },
};

/** The burst of a rate the owner set without one. */
const DEFAULT_BURST = 1;

/** How long a webhook's rate state outlives its last reserved slot or pause, ms. */
const STATE_MARGIN_MS = 60_000;

/** The longest a receiver's Retry-After holds its webhook's deliveries back, ms. */
export const MAX_PUSH_BACK_MS = 15 * 60_000;

/** How long a slot reserved for a job that never came back is kept, ms. */
const FORGET_RESERVATION_MS = 60 * 60_000;

/**
 * The rate a job's webhook is held to: its own `deliveryRate` (with its `deliveryBurst`, else 1), else its format's
 * default (with the owner's burst, if any), else none.
 */
export function deliveryRateOf(data: Pick<WebhookDeliverJobData, 'deliveryRate' | 'deliveryBurst' | 'format'>): DeliveryRate | null {
	const burst = typeof data.deliveryBurst === 'number' && data.deliveryBurst >= 1 ? Math.floor(data.deliveryBurst) : null;
	if (typeof data.deliveryRate === 'number' && data.deliveryRate > 0) return { perSecond: data.deliveryRate, burst: burst ?? DEFAULT_BURST };
	const format = jobFormatOf(data as WebhookDeliverJobData);
	const byFormat = Object.hasOwn(FORMAT_DEFAULT_RATES, format) ? FORMAT_DEFAULT_RATES[format as PayloadFormat] : undefined;
	return byFormat ? { perSecond: byFormat.perSecond, burst: burst ?? byFormat.burst } : null;
}

/** Whole ms between two deliveries at the rate, rounded up (the rate is never exceeded; Redis keeps whole ms exactly). */
function intervalMsOf(rate: DeliveryRate): number {
	return Math.max(1, Math.ceil(1000 / rate.perSecond));
}

interface RateCommands {
	webhookRateTake(stateKey: string, reservedKey: string, jobId: string, intervalMs: number, burst: number, forgetMs: number, marginMs: number): Promise<number>;
	webhookRatePushBack(stateKey: string, waitMs: number, marginMs: number): Promise<number>;
}

/**
 * Holds each webhook to its delivery rate across every worker process of a queue: the state is in Redis (a GCRA
 * per webhook, docs/rate-limits.md), moved by one atomic script per job on Redis's clock. A job over the rate reserves
 * the next free slot and steps aside to the delayed set until then, so it holds no worker slot while it waits and the
 * webhook's jobs go in the order they came, one slot each; a job back for its slot goes without asking again.
 */
export class WebhookRateLimiter {
	private readonly client: Redis & RateCommands;

	constructor(private readonly queue: Bull.Queue) {
		const client = queue.client as Redis & Partial<RateCommands>;
		if (!client.webhookRateTake) client.defineCommand('webhookRateTake', { numberOfKeys: 2, lua: RATE_TAKE_SCRIPT });
		if (!client.webhookRatePushBack) client.defineCommand('webhookRatePushBack', { numberOfKeys: 1, lua: RATE_PUSH_BACK_SCRIPT });
		this.client = client as Redis & RateCommands;
	}

	/** Ms the job must wait before it is sent (0: now, its slot taken); always 0 for a webhook without a rate. */
	async waitBeforeSending(job: Bull.Job<WebhookDeliverJobData>): Promise<number> {
		const rate = deliveryRateOf(job.data);
		if (!rate) return 0;
		const key = this.stateKey(job.data.webhookId);
		const waitMs = await this.client.webhookRateTake(key, `${key}:reserved`, String(job.id), intervalMsOf(rate), rate.burst, FORGET_RESERVATION_MS, STATE_MARGIN_MS);
		return Number(waitMs);
	}

	/**
	 * A rate-limited webhook's receiver answered 429 with a Retry-After: none of its deliveries goes before that time
	 * is up (at most `MAX_PUSH_BACK_MS`), in any process; then they go one slot at a time.
	 */
	async heard(data: WebhookDeliverJobData, outcome: DeliveryOutcome): Promise<void> {
		if (outcome.kind !== 'retry' || outcome.status !== 429 || outcome.retryAfterMs === undefined || outcome.retryAfterMs <= 0) return;
		if (!deliveryRateOf(data)) return;
		await this.client.webhookRatePushBack(this.stateKey(data.webhookId), Math.ceil(Math.min(outcome.retryAfterMs, MAX_PUSH_BACK_MS)), STATE_MARGIN_MS);
	}

	private stateKey(webhookId: string): string {
		return this.queue.toKey(`rate:${webhookId}`);
	}
}
