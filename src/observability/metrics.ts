import { Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import type { WebhookKindName } from '../core/webhook-kind.js';
import type { AttemptRecord, AttemptRecorder } from '../delivery/log/attempt-record.js';
import { attemptResultOf } from '../delivery/log/attempt-log-lines.js';
import type { EnqueuedDeliveries } from '../delivery/delivery-of-kind.js';
import type { AutomaticPauseCause } from '../delivery/auto-disable/auto-disable-rule.js';
import { errorClassLabel, eventTypeLabel, formatLabel } from './label-values.js';
import { withTimeout } from './with-timeout.js';
import type { QueueAttendance } from './queue-readings.js';

/** Every metric's name starts with this. */
export const METRIC_PREFIX = 'misskey_webhooks_';

/** How long one scrape waits for Redis or PostgreSQL before it reports without their numbers. */
export const COLLECT_TIMEOUT_MS = 2000;

/** Seconds: from a fast local receiver to the longest request timeout an operator may set (60 s). */
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Jobs in the Bull states the queue gauge shows. */
export interface QueueCounts {
	waiting: number;
	active: number;
	delayed: number;
}

/** Where the numbers read at scrape time come from; each is read with a timeout, and a failure only drops that number. */
export interface MetricSources {
	queues: ReadonlyArray<{ name: string; counts(): Promise<QueueCounts> }>;
	/** Unfinished (pending) outbox rows per kind. */
	pendingDeliveries(): Promise<ReadonlyMap<WebhookKindName, number>>;
	/** Active webhooks the registry of this process holds, per kind. */
	activeWebhooks(): Readonly<Record<WebhookKindName, number>>;
	/** Receivers whose circuit this process's workers hold open, per kind. */
	openCircuits(): Readonly<Record<WebhookKindName, number>>;
	/** Whether some worker, in any process, takes each delivery queue's jobs. */
	attendance(): Promise<ReadonlyArray<QueueAttendance>>;
}

const KINDS: readonly WebhookKindName[] = ['user', 'system'];

/**
 * The module's Prometheus metrics. They observe and never decide: attempts arrive as an `AttemptRecorder`, enqueues
 * and auto-disables through their hooks, and queue depth, outbox backlog and registry size are read at scrape time.
 */
export class WebhookMetrics {
	readonly registry: Registry;
	private readonly attempts: Counter<'kind' | 'type' | 'format' | 'outcome'>;
	private readonly attemptErrors: Counter<'kind' | 'error_class'>;
	private readonly attemptDuration: Histogram<'kind' | 'outcome'>;
	private readonly enqueued: Counter<'kind' | 'type' | 'format' | 'path'>;
	private readonly autoDisables: Counter<'kind' | 'cause'>;
	private readonly filteredOut: Counter<'kind' | 'type'>;
	private readonly collectErrors: Counter<'source'>;
	private sources: MetricSources | null = null;

	constructor(input: { registry?: Registry | null } = {}) {
		this.registry = input.registry ?? new Registry();
		const registers = [this.registry];
		// The collectors below read these at scrape time; until `readAtScrape` names them, the gauges stay empty.
		const sourcesOf = () => this.sources;
		// Every counter is ours (the prefix) and on the module's registry.
		const counter = <Label extends string>(name: string, help: string, labelNames: readonly Label[]) => new Counter<Label>({ name: `${METRIC_PREFIX}${name}`, help, labelNames, registers });
		this.attempts = counter('delivery_attempts_total', 'Delivery attempts by webhook kind, event type, payload format and outcome (delivered, will_retry, failed, blocked).', ['kind', 'type', 'format', 'outcome']);
		this.attemptErrors = counter('delivery_attempt_errors_total', 'Attempts that got no HTTP response, by webhook kind and error class (timeout, ECONNREFUSED, tls, blocked-address, ...).', ['kind', 'error_class']);
		this.attemptDuration = new Histogram({
			name: `${METRIC_PREFIX}delivery_attempt_duration_seconds`,
			help: 'Time from sending a delivery to its response (or failure), by webhook kind and outcome.',
			labelNames: ['kind', 'outcome'],
			buckets: DURATION_BUCKETS,
			registers,
		});
		this.enqueued = counter('deliveries_enqueued_total', 'Deliveries enqueued, by webhook kind, event type, payload format and path (queued, outbox_only, queue_only).', ['kind', 'type', 'format', 'path']);
		this.filteredOut = counter('deliveries_filtered_out_total', 'Deliveries not planned because the webhook\'s content filter refused the event, by webhook kind and event type.', ['kind', 'type']);
		this.autoDisables = counter('auto_disables_total', 'Webhooks paused automatically, by kind and cause (auto: failing too long; gone: the receiver answered 410).', ['kind', 'cause']);
		// Every gauge is read at scrape time, starting empty: a number its source could not give is left out, not stale.
		const gauge = <Label extends string>(name: string, help: string, labelNames: readonly Label[], fill: (set: (labels: LabelValues<Label>, value: number) => void, sources: MetricSources) => void | Promise<void>) => new Gauge<Label>({
			name: `${METRIC_PREFIX}${name}`,
			help,
			labelNames,
			registers,
			async collect() {
				this.reset();
				const sources = sourcesOf();
				if (sources) await fill((labels, value) => this.set(labels, value), sources);
			},
		});
		const perKind = (set: (labels: LabelValues<'kind'>, value: number) => void, valueOf: (kind: WebhookKindName) => number) => {
			for (const kind of KINDS) set({ kind }, valueOf(kind));
		};
		gauge('circuits_open', "Receivers whose circuit breaker this process's workers hold open right now, by webhook kind.", ['kind'], (set, sources) => {
			const open = sources.openCircuits();
			perKind(set, (kind) => open[kind]);
		});
		// The scrape's reads of Redis and PostgreSQL, so the error counter (registered last, hence collected last) counts
		// this scrape's failures in this scrape.
		let reads: Array<Promise<void>> = [];
		const read = (source: 'queue' | 'outbox', work: () => Promise<void>): Promise<void> => {
			const done = work().catch(() => {
				this.collectErrors.inc({ source });
			});
			reads.push(done);
			return done;
		};
		gauge('queue_jobs', 'Jobs in each delivery queue by state (waiting, active, delayed), read from Bull at scrape time.', ['queue', 'state'], async (set, sources) => {
			await Promise.all(sources.queues.map((queue) => read('queue', async () => {
				const counts = await withTimeout(() => queue.counts(), COLLECT_TIMEOUT_MS, `${queue.name} counts`);
				for (const state of ['waiting', 'active', 'delayed'] as const) set({ queue: queue.name, state }, counts[state]);
			})));
		});
		// Both attendance gauges show one read of the queues per scrape: the second to collect joins the first's read.
		let attendanceRead: Promise<ReadonlyArray<QueueAttendance> | null> | null = null;
		const readAttendance = (sources: MetricSources): Promise<ReadonlyArray<QueueAttendance> | null> => {
			attendanceRead ??= (async () => {
				let queues: ReadonlyArray<QueueAttendance> | null = null;
				await read('queue', async () => {
					queues = await withTimeout(() => sources.attendance(), COLLECT_TIMEOUT_MS, 'queue attendance');
				});
				attendanceRead = null;
				return queues;
			})();
			return attendanceRead;
		};
		gauge('queue_unattended', '1 when deliveries have waited in the queue longer than unattendedQueueAfterMs while no worker, in any process, took a job.', ['queue'], async (set, sources) => {
			for (const queue of await readAttendance(sources) ?? []) set({ queue: queue.name }, queue.unattended ? 1 : 0);
		});
		gauge('queue_unattended_seconds', 'How long deliveries have waited in the queue while no worker, in any process, took a job; 0 when none waits.', ['queue'], async (set, sources) => {
			for (const queue of await readAttendance(sources) ?? []) set({ queue: queue.name }, (queue.unattendedMs ?? 0) / 1000);
		});
		gauge('outbox_pending_deliveries', 'Unfinished deliveries in the outbox (pending rows: queued, retrying, or waiting for the reconciler), by webhook kind.', ['kind'], (set, sources) => read('outbox', async () => {
			const pending = await withTimeout(() => sources.pendingDeliveries(), COLLECT_TIMEOUT_MS, 'outbox count');
			perKind(set, (kind) => pending.get(kind) ?? 0);
		}));
		gauge('webhooks_active', 'Active webhooks this process delivers to (its registry), by kind.', ['kind'], (set, sources) => {
			const active = sources.activeWebhooks();
			perKind(set, (kind) => active[kind]);
		});
		this.collectErrors = new Counter({
			name: `${METRIC_PREFIX}collect_errors_total`,
			help: 'Scrapes that could not read a number (source: queue or outbox) in time; that number is left out of the scrape.',
			labelNames: ['source'],
			registers,
			async collect() {
				const pending = reads;
				reads = [];
				await Promise.all(pending);
			},
		});
	}

	/** Takes the module's metrics (every `misskey_webhooks_` name) off its registry: the module closed, a host's registry lives on. */
	unregister(): void {
		for (const metric of this.registry.getMetricsAsArray()) {
			if (metric.name.startsWith(METRIC_PREFIX)) this.registry.removeSingleMetric(metric.name);
		}
	}

	/** Where the scrape-time numbers come from: the queues, the outbox and the registry, once they exist. */
	readAtScrape(sources: MetricSources): void {
		this.sources = sources;
	}

	/** The recorder to hand each delivery: counts every attempt by outcome, and times it. */
	attemptRecorder(): AttemptRecorder {
		return {
			record: (attempt) => this.recordAttempt(attempt),
			flush: async () => {},
			close: async () => {},
		};
	}

	/** The delivery's enqueue hook. */
	readonly observeEnqueue = (enqueued: EnqueuedDeliveries): void => {
		const type = eventTypeLabel(enqueued.type);
		for (const format of enqueued.formats) this.enqueued.inc({ kind: enqueued.kind, type, format: formatLabel(format), path: enqueued.path });
	};

	/** Called with each event's plan: the webhooks content filters kept out of its deliveries. */
	countFilteredOut(filtered: readonly { kind: WebhookKindName; type: string; count: number }[]): void {
		for (const { kind, type, count } of filtered) this.filteredOut.inc({ kind, type: eventTypeLabel(type) }, count);
	}

	/** Called where a webhook is paused automatically. */
	countAutoDisable(kind: WebhookKindName, cause: AutomaticPauseCause): void {
		this.autoDisables.inc({ kind, cause });
	}

	private recordAttempt(attempt: AttemptRecord): void {
		const outcome = attemptResultOf(attempt);
		this.attempts.inc({ kind: attempt.kind, type: eventTypeLabel(attempt.eventType), format: formatLabel(attempt.format), outcome });
		this.attemptDuration.observe({ kind: attempt.kind, outcome }, attempt.durationMs / 1000);
		if (attempt.errorClass !== undefined) this.attemptErrors.inc({ kind: attempt.kind, error_class: errorClassLabel(attempt.errorClass) });
	}
}
