import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Bull from 'bull';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { normalizeOptions, type NormalizedOptions, type WebhookModuleOptions } from '../../src/config/options.js';
import { UserWebhookDelivery, type DeliveryTarget } from '../../src/delivery/user-webhook-delivery.js';
import type { WebhookDeliveryInput } from '../../src/delivery/delivery-of-kind.js';
import type { UserWebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import { CapturingLogger } from '../support/logger.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';

/** The body every fixture delivery carries unless a test says otherwise. */
export const sampleBody = { note: { id: 'note-1', text: 'hello', visibility: 'public' } };

export { CapturingLogger } from '../support/logger.js';

/** A migrated database, a webhook store, and deliveries on their own Redis queue prefixes, all closed by close(). */
export class DeliveryFixture {
	readonly logger = new CapturingLogger();
	private readonly deliveries: Array<{ delivery: UserWebhookDelivery; options: NormalizedOptions }> = [];

	private constructor(readonly dataSource: DataSource, readonly store: WebhookStore) {}

	static async start(): Promise<DeliveryFixture> {
		const dataSource = await createMigratedDataSource();
		return new DeliveryFixture(dataSource, new WebhookStore(dataSource));
	}

	/** A delivery with millisecond retries and a short timeout; `startWorker: false` leaves it enqueue-only; `parts` adds recorders or hooks. */
	async delivery(overrides: Partial<WebhookModuleOptions> = {}, startWorker = true, parts: Pick<WebhookDeliveryInput<DeliveryTarget, UserWebhookDeliverJobData>, 'extraRecorders' | 'onEnqueued'> = {}): Promise<UserWebhookDelivery> {
		const options = normalizeOptions({
			serverUrl: 'https://misskey.example',
			redisUrl: testRedisUrl,
			queuePrefix: `mw-test-delivery-${randomUUID()}`,
			retryDelaysMs: [20, 20],
			requestTimeoutMs: 1000,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
			// The loopback receivers stand in for public ones, whose answers the attempt log keeps.
			showPrivateNetworkAnswers: true,
			...overrides,
		});
		const delivery = new UserWebhookDelivery({ dataSource: this.dataSource, options, logger: this.logger, ...parts });
		this.deliveries.push({ delivery, options });
		if (startWorker) await delivery.startWorker();
		return delivery;
	}

	createWebhook(url: string, secret = 'hook-secret'): Promise<WebhookEntity> {
		return this.store.create({ userId: `user${randomUUID().slice(0, 8)}`, name: 'test hook', url, secret, on: ['note'] });
	}

	async row(id: string): Promise<WebhookEntity> {
		return this.store.repository.findOneByOrFail({ id });
	}

	/** The row once a status has been written to it (statuses are written in batches every ~50 ms). */
	async rowWithStatus(id: string, timeoutMs = 1000): Promise<WebhookEntity> {
		const deadline = Date.now() + timeoutMs;
		let row = await this.row(id);
		while (row.latestStatus === null && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			row = await this.row(id);
		}
		return row;
	}

	async close(): Promise<void> {
		const redis = new Redis(testRedisUrl);
		try {
			for (const { delivery, options } of this.deliveries) {
				await delivery.close();
				const keys = await redis.keys(`${options.queuePrefix}:*`);
				if (keys.length > 0) await redis.del(...keys);
			}
		} finally {
			redis.disconnect();
			await this.dataSource.destroy();
		}
	}
}

/** Resolves once the queue holds no waiting, active or delayed job: every enqueued job has completed or failed for good. */
export async function waitUntilIdle(queue: Bull.Queue, timeoutMs = 8000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const counts = await queue.getJobCounts();
		if (counts.waiting + counts.active + counts.delayed === 0) return;
		if (Date.now() > deadline) throw new Error(`queue still busy: ${JSON.stringify(counts)}`);
		await new Promise((resolve) => setTimeout(resolve, 15));
	}
}

/** The finished job of a webhook (job name = webhook id) with its final state. */
export async function finishedJobOf(queue: Bull.Queue<UserWebhookDeliverJobData>, webhookId: string): Promise<{ job: Bull.Job<UserWebhookDeliverJobData>; state: string }> {
	const jobs = (await queue.getJobs(['completed', 'failed'])).filter((job) => job?.name === webhookId);
	if (jobs.length !== 1) throw new Error(`expected one finished job for ${webhookId}, found ${jobs.length}`);
	return { job: jobs[0], state: await jobs[0].getState() };
}

/** Every distinct (latestSentAt, latestStatus) a webhook row goes through while `during` runs, polled every few ms. */
export async function watchStatus(fixture: DeliveryFixture, webhookId: string, during: () => Promise<unknown>): Promise<Array<{ sentAt: Date; status: number }>> {
	const seen: Array<{ sentAt: Date; status: number }> = [];
	let running = true;
	const poll = (async () => {
		while (running) {
			const row = await fixture.row(webhookId);
			const last = seen[seen.length - 1];
			if (row.latestSentAt && row.latestStatus !== null && row.latestSentAt.getTime() !== last?.sentAt.getTime()) {
				seen.push({ sentAt: row.latestSentAt, status: row.latestStatus });
			}
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	})();
	try {
		await during();
		// Let the last status reach the database (written within ~50 ms).
		await new Promise((resolve) => setTimeout(resolve, 150));
	} finally {
		running = false;
		await poll;
	}
	return seen;
}

/** A loopback port nothing listens on: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/hook`;
}

/** Matches a version 4 UUID. */
export const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
