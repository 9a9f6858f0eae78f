import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as Misskey from 'misskey-js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { parsePrometheusText, sampleValue, type Sample } from '../support/prometheus-text.js';
import { expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Every attempt of a failing delivery: the first and two retries.
const RETRY_DELAYS_MS = [50, 100];

describe('the reference host\'s /metrics and JSON logs (child process, real deliveries)', function () {
	this.timeout(60_000);

	// Put in every secret, URL query, event body and response body; it must never reach the logs or the metrics.
	const marker = `MARKER${randomBytes(6).toString('hex')}`;
	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let alice: Account;
	let bob: Account;
	let aliceHookId: string;
	let bobHookId: string;

	const attempts = 'misskey_webhooks_delivery_attempts_total';

	async function scrape(): Promise<{ response: Response; text: string; samples: Sample[] }> {
		const response = await fetch(`${origin}/metrics`);
		const text = await response.text();
		return { response, text, samples: parsePrometheusText(text) };
	}

	/** Scrapes until `ready` holds: the worker counts an attempt just after the receiver answered it. */
	async function scrapeUntil(ready: (samples: Sample[]) => boolean, timeoutMs = 20_000): Promise<{ response: Response; text: string; samples: Sample[] }> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const scraped = await scrape();
			if (ready(scraped.samples)) return scraped;
			if (Date.now() > deadline) throw new Error(`metrics never got there:\n${scraped.text}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		receiver.replyAlways((request) => {
			if (request.path.startsWith('/fail')) return { status: 500, body: `no thanks ${marker}` };
			return request.path === '/gone' ? { status: 410, body: `gone ${marker}` } : { status: 204 };
		});
		host = await startReferenceHost(RETRY_DELAYS_MS, { LOG_LEVEL: 'debug' });
		origin = host.listenUrl;
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		const client = (account: Account) => new Misskey.api.APIClient({ origin, credential: account.token });
		aliceHookId = (await client(alice).request('i/webhooks/create', { name: 'ok', url: receiver.url(`/ok?token=${marker}`), secret: `${marker}-alice`, on: ['note'] })).id;
		bobHookId = (await client(bob).request('i/webhooks/create', { name: 'fail', url: receiver.url(`/fail/${marker}`), secret: `${marker}-bob`, on: ['note'] })).id;
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('counts 3 delivered note events and a 500-answering receiver\'s will_retry and failed attempts, by kind, type and format', async () => {
		for (const n of [1, 2, 3]) await expectOk(origin, 'notes/create', { text: `note ${n} ${marker}` }, alice.token);
		await expectOk(origin, 'notes/create', { text: `failing ${marker}` }, bob.token);
		const note = { kind: 'user', type: 'note', format: 'misskey' };
		const { response, text, samples } = await scrapeUntil((s) => sampleValue(s, attempts, { ...note, outcome: 'delivered' }) >= 3 && sampleValue(s, attempts, { ...note, outcome: 'failed' }) >= 1);
		assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4; charset=utf-8$/);
		assert.equal(sampleValue(samples, attempts, { ...note, outcome: 'delivered' }), 3);
		assert.equal(sampleValue(samples, attempts, { ...note, outcome: 'will_retry' }), 2);
		assert.equal(sampleValue(samples, attempts, { ...note, outcome: 'failed' }), 1);
		assert.equal(sampleValue(samples, attempts, { ...note, outcome: 'blocked' }), 0);
		assert.equal(sampleValue(samples, 'misskey_webhooks_deliveries_enqueued_total', { ...note, path: 'queued' }), 4);
		assert.equal(sampleValue(samples, 'misskey_webhooks_delivery_attempt_duration_seconds_count', { kind: 'user', outcome: 'delivered' }), 3);
		assert.equal(sampleValue(samples, 'misskey_webhooks_delivery_attempt_duration_seconds_count', { kind: 'user', outcome: 'will_retry' }), 2);
		assert.equal(sampleValue(samples, 'misskey_webhooks_webhooks_active', { kind: 'user' }), 2);
		assert.equal(sampleValue(samples, 'misskey_webhooks_webhooks_active', { kind: 'system' }), 0);
		for (const state of ['waiting', 'active', 'delayed']) {
			assert.ok(samples.some((sample) => sample.name === 'misskey_webhooks_queue_jobs' && sample.labels.queue === 'userWebhookDeliver' && sample.labels.state === state), `queue_jobs ${state}`);
		}
		assert.ok(samples.some((sample) => sample.name === 'misskey_webhooks_outbox_pending_deliveries' && sample.labels.kind === 'user'));
		// The host put its own process metrics on the same registry: one scrape gets both.
		assert.ok(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total'));
		// No label holds anything that grows with use: no id, no URL, no marker.
		for (const forbidden of [marker, aliceHookId, bobHookId, alice.id, bob.id, String(receiver.port)]) assert.ok(!text.includes(forbidden), `the scrape mentions ${forbidden}`);
	});

	it('once the deliveries are finished, the outbox holds no unfinished one and the queue nothing waiting', async () => {
		const { samples } = await scrapeUntil((s) => sampleValue(s, 'misskey_webhooks_outbox_pending_deliveries', { kind: 'user' }) === 0);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_jobs', { queue: 'userWebhookDeliver', state: 'waiting' }), 0);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_jobs', { queue: 'userWebhookDeliver', state: 'delayed' }), 0);
	});

	it('every attempt is a JSON log line with the webhook id, delivery id, attempt, status and duration; the target only as its host', () => {
		const lines = host!.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
		const ofAlice = lines.filter((line) => line.webhookId === aliceHookId);
		assert.equal(ofAlice.length, 3);
		for (const line of ofAlice) {
			assert.equal(line.msg, 'webhook delivered');
			assert.equal(line.level, 20, 'delivered is debug');
			assert.equal(line.module, 'misskey-webhooks');
			assert.equal(line.status, 204);
			assert.equal(line.attempt, 1);
			assert.equal(typeof line.deliveryId, 'string');
			assert.equal(typeof line.durationMs, 'number');
			assert.equal(line.targetHost, `127.0.0.1:${receiver.port}`);
		}
		const ofBob = lines.filter((line) => line.webhookId === bobHookId);
		assert.deepEqual(ofBob.map((line) => [line.msg, line.level, line.attempt, line.status, line.result]), [
			['webhook attempt failed, will retry', 40, 1, 500, 'will_retry'],
			['webhook attempt failed, will retry', 40, 2, 500, 'will_retry'],
			['webhook delivery failed, giving up', 40, 3, 500, 'failed'],
		]);
	});

	it('a receiver answering 410 Gone pauses its webhook: counted as an auto-disable, gone from the active webhooks, logged', async () => {
		const carol = await signUp(origin, 'carol');
		const created = await new Misskey.api.APIClient({ origin, credential: carol.token }).request('i/webhooks/create', { name: 'gone', url: receiver.url('/gone'), secret: `${marker}-carol`, on: ['note'] });
		await scrapeUntil((s) => sampleValue(s, 'misskey_webhooks_webhooks_active', { kind: 'user' }) === 3);
		await expectOk(origin, 'notes/create', { text: `gone ${marker}` }, carol.token);
		const { samples } = await scrapeUntil((s) => sampleValue(s, 'misskey_webhooks_auto_disables_total', { kind: 'user', cause: 'gone' }) === 1 && sampleValue(s, 'misskey_webhooks_webhooks_active', { kind: 'user' }) === 2);
		assert.equal(sampleValue(samples, 'misskey_webhooks_auto_disables_total', { kind: 'user', cause: 'auto' }), 0);
		assert.equal(sampleValue(samples, attempts, { kind: 'user', type: 'note', format: 'misskey', outcome: 'failed' }), 2, 'bob\'s exhausted delivery and carol\'s 410');
		const paused = host!.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)
			.filter((line) => line.msg === 'webhook paused automatically');
		assert.deepEqual(paused.map((line) => [line.webhookId, line.kind, line.cause]), [[created.id, 'user', 'gone']]);
	});

	it('no secret, body, URL path or query and no response body ever reaches the log', () => {
		const output = host!.output();
		// The marker was in both secrets, both URLs (query and path), every note's text and the receiver's answers.
		assert.equal(receiver.requests.filter((request) => request.rawBody.includes(marker)).length, 7, 'the bodies carried the marker');
		assert.ok(!output.includes(marker), 'the marker leaked into the log');
		assert.ok(!output.includes('/fail/') && !output.includes('/ok?'), 'a receiver URL path leaked into the log');
	});

	it('a webhook delivering in the Discord format is counted under format="discord", and its log line says so', async () => {
		const dave = await signUp(origin, 'dave');
		const created = await expectOk(origin, 'i/webhooks/create', { name: 'chat', url: receiver.url('/chat'), secret: 'dave-secret', on: ['note'], format: 'discord' }, dave.token);
		await expectOk(origin, 'notes/create', { text: 'to the chat' }, dave.token);
		const discord = { kind: 'user', type: 'note', format: 'discord' };
		const { samples } = await scrapeUntil((s) => sampleValue(s, attempts, { ...discord, outcome: 'delivered' }) === 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_deliveries_enqueued_total', { ...discord, path: 'queued' }), 1);
		assert.equal(sampleValue(samples, attempts, { kind: 'user', type: 'note', format: 'misskey', outcome: 'delivered' }), 3, 'the Misskey-format count is unchanged');
		const line = host!.output().split('\n').filter((text) => text.startsWith('{')).map((text) => JSON.parse(text) as Record<string, unknown>)
			.find((entry) => entry.webhookId === created.id);
		assert.equal(line?.format, 'discord');
	});
});
