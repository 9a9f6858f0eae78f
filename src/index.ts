import type { DataSource } from 'typeorm';
import type { FastifyPluginAsync } from 'fastify';
import { normalizeOptions, type WebhookModuleOptions } from './config/options.js';
import type { HostAdapter } from './host.js';
import { WebhookStore } from './store/webhook-store.js';
import type { WebhookEventName } from './events/catalogue.js';
import { WebhookRegistry } from './registry/webhook-registry.js';
import { UserWebhookDelivery } from './delivery/user-webhook-delivery.js';
import type { FairnessSnapshot } from './delivery/queue/host-gate.js';
import { planEvent } from './intake/event-planner.js';
import { IntakeStore } from './intake/intake-store.js';
import { IntakeRelay } from './intake/intake-relay.js';
import { CommitWatcher } from './intake/commit-watcher.js';
import { OutboxSink } from './intake/outbox-sink.js';
import { createWebhookEvents, type WebhookEvents } from './intake/webhook-events.js';
import { SystemWebhookStore } from './store/system-webhook-store.js';
import { SystemWebhookDelivery } from './delivery/system-webhook-delivery.js';
import { createUserWebhookDisabledEvent } from './intake/user-webhook-disabled.js';
import { createSystemAutoDisableRecorder, createUserAutoDisableRecorder } from './module/auto-disable-targets.js';
import { describeError } from './core/database-error.js';
import { createApiPlugin } from './api/http/plugin.js';
import { adminPagePlugin, type AdminPagePluginOptions } from './admin/admin-page-plugin.js';
import { userPagePlugin, type UserPagePluginOptions } from './user-page/user-page-plugin.js';
import { WebhookMetrics } from './observability/metrics.js';
import { pendingDeliveriesByKind } from './observability/outbox-counts.js';
import { checkHealth, type HealthCheckOptions, type HealthReport } from './observability/health.js';
import { readQueue } from './observability/queue-readings.js';
import { UnattendedWatch } from './observability/unattended-watch.js';

export interface CreateWebhookModuleOptions extends WebhookModuleOptions {
	/** The host's initialized DataSource; it must include `webhookEntities` and have run `webhookMigrations`. */
	dataSource: DataSource;
	host: HostAdapter;
}

/** What a host holds once the module is created. */
export interface WebhookModule {
	/**
	 * Call these from the host's services when the matching thing happens: user events and system events.
	 * Pass `{ transaction }` to write the event in the host's own transaction: committed if and only if the host's write is.
	 */
	events: WebhookEvents;
	/** Serves `i/webhooks/*` and `admin/system-webhook/*`; register it with `{ prefix: '/api' }`. */
	fastifyPlugin: FastifyPluginAsync;
	/** Serves the admin page; register it with `{ prefix: '/admin/webhooks' }` (and `apiBase` when the API is not at `/api`). */
	adminPagePlugin: FastifyPluginAsync<AdminPagePluginOptions>;
	/** Serves the users' own webhook page (MiAuth sign-in); register it with `{ prefix: '/webhooks' }`. */
	userPagePlugin: FastifyPluginAsync<UserPagePluginOptions>;
	/**
	 * Starts the user and system delivery workers in this process, with the reconciler, the pruner and the intake relay
	 * (or run them in other processes with their own module; a process that never calls this only raises events).
	 */
	startWorkers(): Promise<void>;
	/**
	 * Prometheus metrics: `metrics.registry` is the prom-client registry they are on (the host's `metricsRegistry`
	 * when given); serve `await registry.metrics()` with `registry.contentType`. See docs/operations.md.
	 */
	metrics: WebhookMetrics;
	/**
	 * Whether PostgreSQL and Redis answer, how far behind the queues are, and whether some worker (in any process) takes
	 * their jobs; never throws, never hangs.
	 */
	health(options?: HealthCheckOptions): Promise<HealthReport>;
	/** Relays every due event of the intake now (the relay also runs by itself once workers started). */
	relayIntake(): Promise<void>;
	/** Drops every webhook of a deleted user and tells every process's registry. */
	userDeleted(userId: string): Promise<void>;
	/** How this process's workers share their slots between receivers, and each receiver's circuit (docs/fairness.md). */
	fairness(): { user: FairnessSnapshot; system: FairnessSnapshot };
	/** Stops workers, closes queues and Redis connections, and takes the module's metrics off the registry. */
	close(): Promise<void>;
}

/** Receivers whose circuit is not closed (open, or half-open with its probe pending). */
function openCircuitsOf(snapshot: FairnessSnapshot): number {
	return snapshot.hosts.filter((host) => host.circuit !== 'closed').length;
}

/** Wires store, registry, delivery, event rules and API together for one host process. */
export async function createWebhookModule(input: CreateWebhookModuleOptions): Promise<WebhookModule> {
	const options = normalizeOptions(input);
	const logger = options.logger.child({ module: 'misskey-webhooks' });
	const store = new WebhookStore(input.dataSource);
	const systemStore = new SystemWebhookStore(input.dataSource);
	const registry = await WebhookRegistry.start({ store, systemStore, redisUrl: options.redisUrl, channel: options.serverHost, logger });
	// Metrics and log lines observe every delivery: the attempts as a recorder, the enqueues and pauses through hooks.
	const metrics = new WebhookMetrics({ registry: options.metricsRegistry });
	const observed = { logger, onEnqueued: metrics.observeEnqueue };
	// Auto-disable and 410 Gone: one recorder per kind; a user webhook's pause is also told to the
	// moderators as the system event `userWebhookDisabled`, so the system delivery comes first.
	const autoDisable = { dataSource: input.dataSource, options, registry, logger };
	// Both workers sign each attempt with the secrets the registry holds now, not only the job's copy.
	const systemDelivery = new SystemWebhookDelivery({
		dataSource: input.dataSource,
		options,
		currentSecrets: registry,
		...observed,
		extraRecorders: [createSystemAutoDisableRecorder({ ...autoDisable, onPaused: (pause) => metrics.countAutoDisable('system', pause.cause) }), metrics.attemptRecorder()],
	});
	const announceDisabled = createUserWebhookDisabledEvent({
		registry,
		delivery: systemDelivery,
		host: input.host,
		onPackingFailure: (error) => logger.warn({ error: describeError(error) }, 'userWebhookDisabled: the owner could not be packed'),
	});
	const delivery = new UserWebhookDelivery({
		dataSource: input.dataSource,
		options,
		currentSecrets: registry,
		...observed,
		extraRecorders: [
			createUserAutoDisableRecorder({ ...autoDisable, host: input.host, announceDisabled, onPaused: (pause) => metrics.countAutoDisable('user', pause.cause) }),
			metrics.attemptRecorder(),
		],
	});
	const queues = [delivery.queue, systemDelivery.queue];
	// Whether some worker, here or in another process, takes each queue's jobs: health, a gauge and a warning tell.
	const readQueues = () => Promise.all(queues.map((queue) => readQueue(queue, input.dataSource, Date.now(), options.unattendedQueueAfterMs)));
	const unattendedWatch = new UnattendedWatch({ read: readQueues, unattendedQueueAfterMs: options.unattendedQueueAfterMs, logger });
	metrics.readAtScrape({
		queues: queues.map((queue) => ({ name: queue.name, counts: () => queue.getJobCounts() })),
		pendingDeliveries: () => pendingDeliveriesByKind(input.dataSource, options.queuePrefix),
		activeWebhooks: () => ({ user: registry.size, system: registry.systemSize }),
		openCircuits: () => ({ user: openCircuitsOf(delivery.fairness()), system: openCircuitsOf(systemDelivery.fairness()) }),
		attendance: async () => (await readQueues()).map((reading) => reading.attendance),
	});
	// Rules, registry and packing, without side effects: the events raised now and the intake relay share them.
	const planning = { registry, host: input.host };
	// A plan that is ready is what the event comes to: the webhooks its content filters refused are counted then.
	const plan = async (name: WebhookEventName, payload: unknown) => {
		const planned = await planEvent(name, payload, planning);
		if (planned.kind === 'ready' && planned.filtered.length > 0) metrics.countFilteredOut(planned.filtered);
		return planned;
	};
	const sink = new OutboxSink({ user: delivery, system: systemDelivery });
	const intake = new IntakeStore(input.dataSource);
	const relay = new IntakeRelay({
		dataSource: input.dataSource,
		store: intake,
		plan,
		sink,
		pollIntervalMs: options.intakePollIntervalMs,
		batchSize: options.intakeBatchSize,
		logger,
		redis: delivery.queue.client,
		channel: `${options.queuePrefix}:webhook-intake:${options.serverHost}`,
	});
	// A relay in this process is woken directly; one in a worker process, over Redis.
	const commitWatcher = new CommitWatcher(input.dataSource, () => {
		if (relay.started) relay.wake();
		else relay.publishWake().catch(() => undefined);
	});
	commitWatcher.attach();
	const events = createWebhookEvents({ dataSource: input.dataSource, plan, sink, intake, written: (runner) => commitWatcher.written(runner), logger });
	const fastifyPlugin = createApiPlugin({ store, registry, delivery, systemStore, systemDelivery, host: input.host, options });
	// In every process, workers or not: a host whose startWorkers() never runs is the case it is there for.
	unattendedWatch.start();
	return {
		events,
		fastifyPlugin,
		adminPagePlugin,
		userPagePlugin,
		metrics,
		health: (healthOptions) => checkHealth({ dataSource: input.dataSource, queues, queuePrefix: options.queuePrefix, unattendedQueueAfterMs: options.unattendedQueueAfterMs }, healthOptions),
		async startWorkers() {
			await Promise.all([delivery.startWorker(), systemDelivery.startWorker()]);
			await relay.start();
		},
		fairness() {
			return { user: delivery.fairness(), system: systemDelivery.fairness() };
		},
		relayIntake: () => relay.drainNow(),
		async userDeleted(userId) {
			for (const row of await store.deleteByUser(userId)) await registry.announce('webhookDeleted', row);
		},
		async close() {
			await unattendedWatch.stop();
			commitWatcher.detach();
			await relay.stop();
			// The user delivery's last pauses may still queue `userWebhookDisabled` on the system queue, so it closes first.
			await delivery.close();
			await systemDelivery.close();
			await registry.close();
			// A host's registry outlives the module: a module created after this one may register the same names.
			metrics.unregister();
		},
	};
}

export { webhookEntities } from './store/entities.js';
export { webhookMigrations } from '../migrations/index.js';
export { userWebhookEventTypes, type UserWebhookEventType, systemWebhookEventTypes, type SystemWebhookEventType } from './events/catalogue.js';
export { parseAllowedNetwork, ALLOWED_NETWORK_SYNTAX, type AllowedNetworkParse } from './config/allowed-networks.js';
export type { HostAdapter, Caller, UserRef } from './host.js';
export type { WebhookModuleOptions } from './config/options.js';
export type { WebhookLogger, LogFields } from './core/logger.js';
export { WebhookMetrics, METRIC_PREFIX, type QueueCounts } from './observability/metrics.js';
export type { HealthReport, HealthCheckOptions, DependencyHealth, QueueHealth, QueueLag, WorkersHealth, QueueAttendance } from './observability/health.js';
export { retryPolicies, type RetryPolicy } from './delivery/retry/retry-policy.js';
export type { FairnessSnapshot, HostSnapshot, CircuitState, DeferReason } from './delivery/queue/host-gate.js';
export type { RetryPolicyName } from './core/retry-policy-name.js';
export type { AdminPagePluginOptions } from './admin/admin-page-plugin.js';
export type { UserPagePluginOptions } from './user-page/user-page-plugin.js';
export type { WebhookEvents, RaiseOptions } from './intake/webhook-events.js';
export { EntityGoneError } from './intake/packing-failure.js';
export { widenedMentionsOf } from './events/rules.js';
export type {
	NoteCreatedEvent,
	NoteEditedEvent,
	NoteDeletedEvent,
	FollowCreatedEvent,
	FollowDeletedEvent,
	FollowRequestCreatedEvent,
	FollowRequestAcceptedEvent,
	FollowRequestRejectedEvent,
	ReactionCreatedEvent,
} from './events/host-event-types.js';
export type { AbuseReportEvent, UserCreatedEvent, InactiveModeratorsWarningEvent } from './events/system-event-types.js';
export type * from './generated/index.js';
export {
	signPayload,
	verifySignature,
	standardWebhookHeaders,
	signingKeyOf,
	secretsInForce,
	rotateSecret,
	WEBHOOK_TOLERANCE_SECONDS,
	SECRET_ROTATION_GRACE_MS,
	WEBHOOK_ID_HEADER,
	WEBHOOK_TIMESTAMP_HEADER,
	WEBHOOK_SIGNATURE_HEADER,
	type SignatureVerification,
	type SignatureFailureReason,
	type SecretRotationState,
} from './signing/index.js';
export {
	verifyWebhookRequest,
	readWebhookPayload,
	MISSKEY_HOOK_SECRET_HEADER,
	type VerifyWebhookRequestInput,
	type WebhookRequestVerification,
	type WebhookRequestRejection,
	type WebhookRequestHeaders,
	type WebhookPayload,
	type UserWebhookPayload,
	type SystemWebhookPayload,
} from './receiver/index.js';
