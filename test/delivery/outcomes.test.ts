import assert from 'node:assert/strict';
import type { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { NO_RESPONSE_STATUS } from '../../src/delivery/retry/outcome.js';
import { TestReceiver, type Reply } from '../support/receiver.js';
import { closedPortUrl, DeliveryFixture, finishedJobOf, sampleBody, waitUntilIdle } from './fixture.js';

// Three attempts per job: Misskey's policy shape with millisecond delays.
const ATTEMPTS = 3;

describe('delivery: outcomes of an attempt', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;
	let delivery: UserWebhookDelivery;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
		// Every test here fails against one receiver host on purpose: its circuit must not open and defer the next test's job.
		delivery = await fixture.delivery({ retryDelaysMs: [20, 20], requestTimeoutMs: 300, circuitBreakerThreshold: 1000 });
	});
	afterEach(() => receiver.clear());
	after(async () => {
		await fixture.close();
		await receiver.close();
	});

	/** Delivers once to a receiver that always answers `reply`; returns how many requests came, the job and the row. */
	async function deliverAgainst(reply: Reply, url = receiver.url(`/${Math.random().toString(36).slice(2)}`)) {
		const hook = await fixture.createWebhook(url);
		receiver.replyAlways(reply);
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		const requests = (await receiver.settle(60)).filter((r) => url.endsWith(r.path));
		const { job, state } = await finishedJobOf(delivery.queue, hook.id);
		return { hook, requests, job, state, row: await fixture.rowWithStatus(hook.id) };
	}

	for (const status of [200, 201, 202, 204]) {
		it(`a ${status} delivers with one request`, async () => {
			const { requests, state, job, row } = await deliverAgainst({ status });
			assert.equal(requests.length, 1);
			assert.equal(state, 'completed');
			assert.equal(job.returnvalue, 'Success');
			assert.equal(row.latestStatus, status);
		});
	}

	for (const status of [400, 401, 403, 404, 422]) {
		it(`a ${status} is final after one request`, async () => {
			const { requests, state, job, row } = await deliverAgainst({ status });
			assert.equal(requests.length, 1);
			assert.equal(state, 'failed');
			assert.equal(job.attemptsMade, 1);
			assert.equal(job.opts.attempts, ATTEMPTS);
			assert.equal(row.latestStatus, status);
		});
	}

	// 408 is retried (Misskey gives up on it); a 3xx is a failure and is retried, its redirect never followed.
	for (const status of [408, 429, 500, 502, 503, 301, 302, 304, 307, 308]) {
		it(`a ${status} is retried up to the attempt count, then the job fails`, async () => {
			const { requests, state, job, row } = await deliverAgainst({ status, headers: status >= 300 && status < 400 ? { location: '/moved' } : {} });
			assert.equal(requests.length, ATTEMPTS);
			assert.equal(state, 'failed');
			assert.equal(job.attemptsMade, ATTEMPTS);
			assert.equal(row.latestStatus, status);
		});
	}

	it('a 410 Gone ends the job after one request, as an outcome that disables the webhook', async () => {
		const { requests, state, job, row } = await deliverAgainst({ status: 410 });
		assert.equal(requests.length, 1);
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, 1);
		assert.equal(job.failedReason, '410 Gone');
		assert.equal(row.latestStatus, 410);
	});

	it('a 3xx is a failure whose redirect is never followed', async () => {
		const { requests, state } = await deliverAgainst({ status: 307, headers: { location: '/moved-elsewhere' } });
		assert.equal(requests.length, ATTEMPTS);
		assert.equal(state, 'failed');
		assert.ok(receiver.requests.every((r) => r.path !== '/moved-elsewhere'));
	});

	it('a retry that then gets a 2xx completes the job', async () => {
		const hook = await fixture.createWebhook(receiver.url('/recovering'));
		receiver.replyNext({ status: 503 }, { status: 200 });
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		assert.equal((await receiver.settle(60)).length, 2);
		assert.equal((await finishedJobOf(delivery.queue, hook.id)).state, 'completed');
		assert.equal((await fixture.rowWithStatus(hook.id)).latestStatus, 200);
	});

	it('a refused connection is retried up to the attempt count with status 1', async () => {
		const hook = await fixture.createWebhook(await closedPortUrl());
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		const { job, state } = await finishedJobOf(delivery.queue, hook.id);
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, ATTEMPTS);
		assert.equal(job.failedReason, 'ECONNREFUSED');
		assert.equal((await fixture.rowWithStatus(hook.id)).latestStatus, NO_RESPONSE_STATUS);
	});

	it('a connection reset before any answer is retried up to the attempt count with status 1', async () => {
		const { requests, state, job, row } = await deliverAgainst({ reset: true });
		assert.equal(requests.length, ATTEMPTS);
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, ATTEMPTS);
		assert.equal(row.latestStatus, NO_RESPONSE_STATUS);
	});

	it('a receiver that hangs past requestTimeoutMs is retried up to the attempt count with status 1', async () => {
		const { requests, state, job, row } = await deliverAgainst({ hang: true });
		assert.equal(requests.length, ATTEMPTS);
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, ATTEMPTS);
		assert.equal(job.failedReason, 'timeout');
		assert.equal(row.latestStatus, NO_RESPONSE_STATUS);
	});

	it('an unparsable URL is an attempt without response: retried, status 1', async () => {
		const hook = await fixture.createWebhook('not a url');
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		const { job, state } = await finishedJobOf(delivery.queue, hook.id);
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, ATTEMPTS);
		assert.equal((await fixture.rowWithStatus(hook.id)).latestStatus, NO_RESPONSE_STATUS);
	});

	it('failures are logged one line per attempt with the webhook id and reason, never the secret', async () => {
		fixture.logger.lines.length = 0;
		const url = receiver.url('/logged');
		const hook = await fixture.store.create({ userId: 'logowner', name: 'logged', url, secret: 'do-not-log-me', on: ['note'] });
		receiver.replyAlways({ status: 502 });
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		const entries = fixture.logger.entries.filter((entry) => entry.fields.webhookId === hook.id);
		assert.equal(entries.length, ATTEMPTS);
		assert.ok(entries.every((entry) => entry.level === 'warn' && entry.fields.reason === '502 Bad Gateway' && entry.fields.status === 502));
		assert.deepEqual(entries.map((entry) => [entry.fields.attempt, entry.fields.attemptsAllowed, entry.fields.result]), [[1, 3, 'will_retry'], [2, 3, 'will_retry'], [3, 3, 'failed']]);
		assert.ok(entries.every((entry) => typeof entry.fields.durationMs === 'number' && typeof entry.fields.deliveryId === 'string'));
		assert.equal(entries[0]?.fields.targetHost, new URL(url).host, 'the target only as its host');
		assert.ok(fixture.logger.lines.every((line) => !line.includes('do-not-log-me')));
	});
});
