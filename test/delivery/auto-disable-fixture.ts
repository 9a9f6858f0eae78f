import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createSystemAutoDisableRecorder, createUserAutoDisableRecorder } from '../../src/module/auto-disable-targets.js';
import type { AutoDisableRecorder } from '../../src/delivery/auto-disable/auto-disable.js';
import type { AttemptRecord } from '../../src/delivery/log/attempt-record.js';
import type { WebhookKindName } from '../../src/core/webhook-kind.js';
import type { DeliveryOutcome } from '../../src/delivery/retry/outcome.js';
import type { DisabledUserWebhook } from '../../src/intake/user-webhook-disabled.js';
import type { HostAdapter } from '../../src/host.js';
import { InMemorySyncChannel } from '../../src/registry/in-memory-sync.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import type { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { generateId } from '../../src/store/id.js';
import { createMigratedDataSource } from '../support/database.js';
import { CapturingLogger } from './fixture.js';

export const HOUR_MS = 60 * 60 * 1000;
/** The default window, 5 days, as these suites use it. */
export const WINDOW_MS = 5 * 24 * HOUR_MS;

export const delivered: DeliveryOutcome = { kind: 'delivered', status: 204 };
export const unavailable: DeliveryOutcome = { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false };
export const gone: DeliveryOutcome = { kind: 'disable', status: 410, reason: '410 Gone' };

/** One attempt as the worker hands it over; each test changes only what it is about. */
export function attempt(kind: WebhookKindName, webhookId: string, outcome: DeliveryOutcome, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
	const finished = outcome.kind !== 'retry';
	return {
		kind,
		webhookId,
		eventType: 'note',
		format: 'misskey',
		targetHost: 'receiver.example',
		eventId: randomUUID(),
		attemptNumber: 1,
		attemptsAllowed: 4,
		startedAt: new Date(),
		durationMs: 3,
		outcome,
		nextAttemptAt: finished ? null : new Date(Date.now() + 60_000),
		finished,
		trigger: 'scheduled',
		...overrides,
	};
}

/** The last attempt of a delivery that used up its retries. */
export function exhausted(kind: WebhookKindName, webhookId: string, startedAt = new Date()): AttemptRecord {
	return attempt(kind, webhookId, unavailable, { attemptNumber: 4, finished: true, nextAttemptAt: null, startedAt });
}

/** One owner notification, as `notifyWebhookDisabled` received it. */
export interface Notification {
	userId: string;
	webhook: { id: string; name: string; url: string };
	reason: string;
}

/** What a pair of recorders is built from besides the fixture's defaults. */
export interface RecorderOverrides {
	dataSource?: DataSource;
	autoDisableAfterMs?: number;
	now?: () => number;
}

/**
 * A migrated database with both webhook stores, two registries on one in-memory channel (the worker's, which
 * announces, and another process's), and both recorders wired as a module wires them, judging the window by `nowMs`.
 * Owner notifications and `userWebhookDisabled` announcements are kept for the tests to read.
 */
export class AutoDisableFixture {
	readonly logger = new CapturingLogger();
	readonly notified: Notification[] = [];
	readonly announcedDisabled: DisabledUserWebhook[] = [];
	nowMs = Date.now();
	workerRegistry!: WebhookRegistry;
	otherRegistry!: WebhookRegistry;
	recorders!: { user: AutoDisableRecorder; system: AutoDisableRecorder };
	private readonly opened: Array<{ user: AutoDisableRecorder; system: AutoDisableRecorder }> = [];

	private constructor(readonly dataSource: DataSource, readonly store: WebhookStore, readonly systemStore: SystemWebhookStore) {}

	static async start(): Promise<AutoDisableFixture> {
		const dataSource = await createMigratedDataSource();
		return new AutoDisableFixture(dataSource, new WebhookStore(dataSource), new SystemWebhookStore(dataSource));
	}

	/** Fresh registries, clock, records and recorders for one test. */
	async begin(): Promise<void> {
		const channel = new InMemorySyncChannel();
		const load = { loadActive: () => this.store.listActive(), loadActiveSystem: () => this.systemStore.listActive() };
		this.workerRegistry = await WebhookRegistry.startWithSync({ sync: channel.connect(), ...load });
		this.otherRegistry = await WebhookRegistry.startWithSync({ sync: channel.connect(), ...load });
		this.nowMs = Date.now();
		this.notified.length = 0;
		this.announcedDisabled.length = 0;
		this.logger.lines.length = 0;
		this.recorders = this.createRecorders();
	}

	/** Closes what `begin` opened, and every recorder made since. */
	async end(): Promise<void> {
		for (const pair of this.opened.splice(0)) {
			await pair.user.close();
			await pair.system.close();
		}
		await this.workerRegistry.close();
		await this.otherRegistry.close();
	}

	async close(): Promise<void> {
		await this.dataSource.destroy();
	}

	/** Both recorders as a module wires them; another database, window or clock when a test asks. Closed by `end`. */
	createRecorders(overrides: RecorderOverrides = {}): { user: AutoDisableRecorder; system: AutoDisableRecorder } {
		const common = {
			dataSource: overrides.dataSource ?? this.dataSource,
			options: { autoDisableAfterMs: overrides.autoDisableAfterMs ?? WINDOW_MS },
			logger: this.logger,
			now: overrides.now ?? (() => this.nowMs),
		};
		const host: Pick<HostAdapter, 'notifyWebhookDisabled'> = {
			notifyWebhookDisabled: async (userId, webhook, reason) => { this.notified.push({ userId, webhook, reason }); },
		};
		const pair = {
			user: createUserAutoDisableRecorder({ ...common, registry: this.workerRegistry, host, announceDisabled: async (disabled) => { this.announcedDisabled.push(disabled); } }),
			system: createSystemAutoDisableRecorder({ ...common, registry: this.workerRegistry }),
		};
		this.opened.push(pair);
		return pair;
	}

	/** Hands the attempts to `recorder` and waits until they are written. */
	async record(recorder: AutoDisableRecorder, ...attempts: AttemptRecord[]): Promise<void> {
		for (const one of attempts) recorder.record(one);
		await recorder.flush();
	}

	newHook(): Promise<WebhookEntity> {
		return this.store.create({ userId: generateId(), name: 'my hook', url: 'https://receiver.example/hook', secret: 'never-shown', on: ['note'] });
	}

	newSystemHook(): Promise<SystemWebhookEntity> {
		return this.systemStore.create({ isActive: true, name: 'system hook', on: ['userCreated'], url: 'https://receiver.example/system', secret: 'never-shown' });
	}

	row(id: string): Promise<WebhookEntity> {
		return this.store.repository.findOneByOrFail({ id });
	}

	systemRow(id: string): Promise<SystemWebhookEntity> {
		return this.systemStore.repository.findOneByOrFail({ id });
	}

	/** Sets when the webhook's streak began, as if its failures had started then. */
	async setFailingSince(id: string, failingSince: Date | null): Promise<void> {
		await this.store.repository.update({ id }, { failingSince });
	}

	async setSystemFailingSince(id: string, failingSince: Date | null): Promise<void> {
		await this.systemStore.repository.update({ id }, { failingSince });
	}
}
