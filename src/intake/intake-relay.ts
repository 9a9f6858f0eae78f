import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { WebhookLogger } from '../core/logger.js';
import { describeError } from '../core/database-error.js';
import type { IntakeRow, IntakeStore, IntakeRetry } from './intake-store.js';
import { isWebhookEventName, type WebhookEventName } from '../events/catalogue.js';
import { describePlanFailure, type EventPlan } from './event-planner.js';
import type { OutboxSink, PreparedDeliveries } from './outbox-sink.js';

/** Waits before an event whose bodies could not be packed is tried again: 1 s, doubling, at most a minute. */
export const PACKING_RETRY_FIRST_MS = 1_000;
export const PACKING_RETRY_MAX_MS = 60_000;

export function packingRetryDelayMs(attemptsBefore: number): number {
	return Math.min(PACKING_RETRY_MAX_MS, PACKING_RETRY_FIRST_MS * 2 ** Math.min(attemptsBefore, 16));
}

export interface IntakeRelayInput {
	dataSource: DataSource;
	store: IntakeStore;
	plan(name: WebhookEventName, payload: unknown): Promise<EventPlan>;
	sink: OutboxSink;
	pollIntervalMs: number;
	batchSize: number;
	logger: WebhookLogger;
	/** Redis connection to duplicate for the wake-up channel, and the channel's name. */
	redis: Redis;
	channel: string;
}

/**
 * Turns intake rows into deliveries after the host's transaction committed them: takes due rows in batches with
 * `FOR UPDATE SKIP LOCKED` (relays in several processes never take the same row), runs each event through the rules and
 * the host's packers, and in the SAME transaction writes the outbox rows and deletes the intake rows, so an event is
 * either still in the intake or wholly in the outbox, never both, never neither. The jobs are queued after that commit
 * (if that fails or the process dies, the reconciler queues them). An event that could not be packed stays, postponed
 * with backoff; one that will never pack (a note gone) is logged and its other recipients still get theirs.
 * Woken after a host's commit (in this process, or over Redis from another) and every `pollIntervalMs`.
 */
export class IntakeRelay {
	private timer: NodeJS.Timeout | null = null;
	private subscriber: Redis | null = null;
	private running: Promise<void> | null = null;
	private wakeAgain = false;
	private stopped = true;
	private failing = false;

	constructor(private readonly input: IntakeRelayInput) {}

	get started(): boolean {
		return !this.stopped;
	}

	async start(): Promise<void> {
		if (!this.stopped) return;
		this.stopped = false;
		const subscriber = this.input.redis.duplicate();
		subscriber.on('error', () => undefined);
		subscriber.on('message', () => this.wake());
		this.subscriber = subscriber;
		await subscriber.subscribe(this.input.channel).catch((error: unknown) => this.input.logger.warn({ error: describeError(error) }, 'event intake: no wake-ups over Redis, polling only'));
		this.timer = setInterval(() => this.wake(), this.input.pollIntervalMs);
		this.timer.unref();
		this.wake();
	}

	/** Tells the relays of other processes that rows were committed. */
	async publishWake(): Promise<void> {
		await this.input.redis.publish(this.input.channel, '1');
	}

	/** Relays every due row soon; a wake during a pass makes it run once more. */
	wake(): void {
		if (this.stopped) return;
		if (this.running) {
			this.wakeAgain = true;
			return;
		}
		this.running = this.drain().finally(() => {
			this.running = null;
		});
	}

	/** Relays every due row now (joins the running pass); resolves when none is left due. */
	async drainNow(): Promise<void> {
		while (this.running) await this.running;
		this.running = this.drain().finally(() => {
			this.running = null;
		});
		await this.running;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running;
		await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
		this.subscriber = null;
	}

	private async drain(): Promise<void> {
		do {
			this.wakeAgain = false;
			try {
				while ((await this.relayBatch()) === this.input.batchSize && !this.stopped);
				if (this.failing) this.input.logger.info({}, 'event intake: relaying again');
				this.failing = false;
			} catch (error) {
				// Said once per outage; the poll tries again.
				if (!this.failing) this.input.logger.warn({ error: describeError(error) }, 'event intake: relay failed, will try again');
				this.failing = true;
				return;
			}
		} while (this.wakeAgain && !this.stopped);
	}

	/** One batch in one transaction; resolves with how many rows it took. */
	private async relayBatch(): Promise<number> {
		const runner = this.input.dataSource.createQueryRunner();
		await runner.connect();
		try {
			await runner.startTransaction();
			const rows = await this.input.store.lockDue(runner.manager, this.input.batchSize);
			if (rows.length === 0) {
				await runner.commitTransaction();
				return 0;
			}
			const plans = await Promise.all(rows.map((row) => this.planRow(row)));
			const done: string[] = [];
			const retries: IntakeRetry[] = [];
			const prepared: PreparedDeliveries = { user: [], system: [] };
			rows.forEach((row, index) => {
				const plan = plans[index];
				if (plan.kind === 'retry') {
					retries.push({ id: row.id, delayMs: packingRetryDelayMs(row.attempts), error: plan.reason });
					if (row.attempts === 0 || row.attempts % 10 === 0) this.input.logger.warn({ intakeEventId: row.id, attempt: row.attempts + 1, reason: plan.reason }, 'event intake: event not packed yet, will retry');
					return;
				}
				done.push(row.id);
				try {
					const own = this.input.sink.prepare(plan.deliveries);
					prepared.user.push(...own.user);
					prepared.system.push(...own.system);
				} catch (error) {
					// A body that cannot even be serialized will not heal; it must not hold up the rows beside it.
					this.input.logger.error({ intakeEventId: row.id, error: describeError(error) }, 'event intake: event dropped, its deliveries cannot be built');
				}
			});
			await this.input.sink.write(prepared, runner.manager);
			await this.input.store.remove(runner.manager, done);
			await this.input.store.postpone(runner.manager, retries);
			await runner.commitTransaction();
			await this.input.sink.queue(prepared);
			return rows.length;
		} catch (error) {
			if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
			throw error;
		} finally {
			await runner.release().catch(() => undefined);
		}
	}

	/** What one row comes to; never rejects: a row that can never be relayed is logged and ends with no deliveries. */
	private async planRow(row: IntakeRow): Promise<{ kind: 'ready'; deliveries: Extract<EventPlan, { kind: 'ready' }>['deliveries'] } | { kind: 'retry'; reason: string }> {
		let payload: unknown;
		try {
			if (!isWebhookEventName(row.event)) throw new Error(`unknown event "${row.event}"`);
			payload = JSON.parse(row.payload);
		} catch (error) {
			this.input.logger.error({ intakeEventId: row.id, error: describeError(error) }, 'event intake: event dropped, it cannot be read');
			return { kind: 'ready', deliveries: [] };
		}
		try {
			const plan = await this.input.plan(row.event, payload);
			if (plan.kind === 'retry') return { kind: 'retry', reason: describePlanFailure(plan.failure) };
			for (const failure of plan.dropped) this.input.logger.warn({ intakeEventId: row.id, event: row.payload.slice(0, 200), reason: describePlanFailure(failure) }, 'event intake: given up for this recipient');
			return { kind: 'ready', deliveries: plan.deliveries };
		} catch (error) {
			return { kind: 'retry', reason: describeError(error) };
		}
	}
}
