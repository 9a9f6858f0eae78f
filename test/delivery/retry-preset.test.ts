import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import { Redis } from 'ioredis';
import type { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import type { UserWebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import type { RetryPolicyName } from '../../src/core/retry-policy-name.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, sampleBody } from './fixture.js';

// Bull keeps a delayed job in a sorted set scored `due time (ms) × 0x1000 + a counter`.
const BULL_DELAY_SCORE_FACTOR = 0x1000;

describe('per-webhook retry preset', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;
	let redis: Redis;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
		receiver.replyAlways({ status: 503 });
		redis = new Redis(testRedisUrl);
	});

	after(async () => {
		redis?.disconnect();
		await receiver?.close();
		await fixture?.close();
	});

	function hook(retryPolicy?: RetryPolicyName): Promise<WebhookEntity> {
		return fixture.store.create({ userId: `user${randomUUID().slice(0, 8)}`, name: 'retrying', url: receiver.url(`/${randomUUID()}`), secret: 's', on: ['note'], ...(retryPolicy ? { retryPolicy } : {}) });
	}

	/** The presets' own schedules, not an operator's timetable (the fixture's default). */
	const withPresets = () => fixture.delivery({ retryDelaysMs: undefined });

	async function jobOf(delivery: UserWebhookDelivery, webhookId: string): Promise<Bull.Job<UserWebhookDeliverJobData>> {
		const deadline = Date.now() + 5000;
		for (;;) {
			const [job] = (await delivery.queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).filter((found) => found?.name === webhookId);
			if (job) return job;
			if (Date.now() > deadline) throw new Error(`no job for ${webhookId}`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Waits until the job is delayed (a retry is scheduled) or failed for good, and says which. */
	async function settled(job: Bull.Job): Promise<'delayed' | 'failed'> {
		const deadline = Date.now() + 5000;
		for (;;) {
			const state = await job.getState();
			if (state === 'delayed' || state === 'failed') return state;
			if (Date.now() > deadline) throw new Error(`job still ${state}`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Ms from now until the delayed job is due, read from Bull's delayed set. */
	async function dueInMs(delivery: UserWebhookDelivery, job: Bull.Job): Promise<number> {
		const score = await redis.zscore(delivery.queue.toKey('delayed'), String(job.id));
		assert.ok(score !== null, 'the job is in the delayed set');
		return Math.floor(Number(score) / BULL_DELAY_SCORE_FACTOR) - Date.now();
	}

	/**
	 * Runs the job's whole schedule without waiting for it: each time a retry is scheduled, its due time is read, then
	 * the job is promoted to run at once. Returns the scheduled waits, in order; the job ends failed.
	 */
	async function runSchedule(delivery: UserWebhookDelivery, webhook: WebhookEntity): Promise<number[]> {
		const job = await jobOf(delivery, webhook.id);
		const waits: number[] = [];
		while (await settled(job) === 'delayed') {
			waits.push(await dueInMs(delivery, job));
			await job.promote();
			await receiver.waitForRequests(waits.length + 1, 5000, new URL(webhook.url).pathname);
			// Until the attempt just made is classified, the job may still read as delayed: wait for it to move on.
			while (await job.getState() === 'delayed' && await dueInMs(delivery, job) <= 0) await new Promise((resolve) => setTimeout(resolve, 5));
		}
		return waits;
	}

	it('a webhook on the misskey preset gets 4 attempts, the first retry a minute (+0–20 %) later', async () => {
		const delivery = await withPresets();
		const webhook = await hook('misskey');
		await delivery.enqueue([webhook], 'note', sampleBody);
		const job = await jobOf(delivery, webhook.id);
		assert.deepEqual([job.data.retryPolicy, job.opts.attempts], ['misskey', 4]);
		const waits = await runSchedule(delivery, webhook);
		assert.equal(receiver.requests.filter((request) => request.path === new URL(webhook.url).pathname).length, 4);
		assert.equal(waits.length, 3);
		assert.ok(waits[0]! > 55_000 && waits[0]! <= 72_000, `first wait ${waits[0]} ms`);
		assert.ok(waits[2]! > 400_000 && waits[2]! <= 504_000, `third wait ${waits[2]} ms: 7 min +0–20 %`);
	});

	it('a webhook on the standard preset gets 10 attempts, the first retry 5 s (±20 %) later', async () => {
		const delivery = await withPresets();
		const webhook = await hook('standard');
		await delivery.enqueue([webhook], 'note', sampleBody);
		const job = await jobOf(delivery, webhook.id);
		assert.deepEqual([job.data.retryPolicy, job.opts.attempts], ['standard', 10]);
		const waits = await runSchedule(delivery, webhook);
		assert.equal(receiver.requests.filter((request) => request.path === new URL(webhook.url).pathname).length, 10);
		assert.equal(waits.length, 9);
		assert.ok(waits[0]! > 3_500 && waits[0]! <= 6_000, `first wait ${waits[0]} ms`);
		assert.ok(waits[8]! > 0.8 * 86_400_000 - 1000 && waits[8]! <= 1.2 * 86_400_000, `last wait ${waits[8]} ms: 24 h ±20 %`);
	});

	it('two webhooks of one event each follow their own preset', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: undefined }, false);
		const [quick, patient] = [await hook('misskey'), await hook('standard')];
		await delivery.enqueue([quick, patient], 'note', sampleBody);
		const jobs = [await jobOf(delivery, quick.id), await jobOf(delivery, patient.id)];
		assert.deepEqual(jobs.map((job) => [job.data.retryPolicy, job.opts.attempts]), [['misskey', 4], ['standard', 10]]);
	});

	it('a webhook naming no preset follows defaultRetryPolicy', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: undefined, defaultRetryPolicy: 'misskey' }, false);
		const webhook = await hook();
		// A target without the column, as a caller holding only Misskey's fields would pass it.
		await delivery.enqueue([{ id: webhook.id, userId: webhook.userId, url: webhook.url, secret: webhook.secret }], 'note', sampleBody);
		const job = await jobOf(delivery, webhook.id);
		assert.deepEqual([job.data.retryPolicy, job.opts.attempts], ['misskey', 4]);
	});
});
