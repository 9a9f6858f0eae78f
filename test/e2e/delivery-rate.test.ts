import assert from 'node:assert/strict';
import type { HostProcess } from './host-process.js';
import { faultHostEnv, OwnRedis, startWebProcess, startWorkerProcess } from './fault-harness.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { resetDatabase } from '../support/database.js';
import { testDatabaseUrl } from '../support/env.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';

/**
 * How late a request may reach the receiver after the worker let it go (scheduling, a busy machine): the rate is held
 * where the worker decides, so the receiver may see two requests closer together by up to this much.
 */
const ARRIVAL_JITTER_MS = 1000;

/** Creates `count` notes, `concurrency` at a time, each request retried until the host takes it. */
async function postNotes(origin: string, account: Account, count: number, concurrency: number): Promise<void> {
	let next = 0;
	const poster = async () => {
		while (next < count) {
			const index = next++;
			for (;;) {
				const reply = await callHost(origin, 'notes/create', { text: `note ${index}` }, account.token).catch(() => null);
				if (reply?.status === 200) break;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, poster));
}

/**
 * The most requests that arrived within any stretch of time, beyond what the rate allows there: 0 when the arrivals
 * held `burst` plus `perSecond` over every stretch (widened by the arrival jitter).
 */
function worstExcess(arrivals: readonly number[], perSecond: number, burst: number): number {
	const times = [...arrivals].sort((a, b) => a - b);
	let worst = 0;
	for (let first = 0; first < times.length; first++) {
		for (let last = first; last < times.length; last++) {
			const allowed = burst + (perSecond * (times[last] - times[first] + ARRIVAL_JITTER_MS)) / 1000;
			worst = Math.max(worst, last - first + 1 - allowed);
		}
	}
	return worst;
}

/** Requests each worker process logged as delivered for one webhook (LOG_LEVEL=debug: one line per delivery). */
function deliveredBy(worker: HostProcess, webhookId: string): number {
	return worker.output().split('\n').filter((line) => line.includes('webhook delivered') && line.includes(webhookId)).length;
}

/**
 * Answers as Discord does for one webhook: at most 5 requests in any 2 s (a sliding window, stricter than Discord's
 * buckets), beyond that 429 with Retry-After and Discord's JSON body; every request counts whatever its answer.
 */
function discordLikeLimit(receiver: TestReceiver): { tooMany: Map<string, number>; acceptedIds: (path: string) => Set<string> } {
	const accepted = new Map<string, number[]>();
	const tooMany = new Map<string, number>();
	const ids = new Map<string, Set<string>>();
	receiver.replyAlways((request: ReceivedRequest) => {
		const window = (accepted.get(request.path) ?? []).filter((at) => at > request.receivedAt - 2000);
		if (window.length >= 5) {
			tooMany.set(request.path, (tooMany.get(request.path) ?? 0) + 1);
			accepted.set(request.path, window);
			const retryAfterS = (window[0] + 2000 - request.receivedAt) / 1000;
			return { status: 429, headers: { 'retry-after': String(Math.ceil(retryAfterS)), 'content-type': 'application/json' }, body: JSON.stringify({ message: 'You are being rate limited.', retry_after: retryAfterS, global: false }) };
		}
		window.push(request.receivedAt);
		accepted.set(request.path, window);
		ids.set(request.path, (ids.get(request.path) ?? new Set()).add(String(request.headers['webhook-id'])));
		return { status: 204 };
	});
	return { tooMany, acceptedIds: (path) => ids.get(path) ?? new Set() };
}

// One web process (WEBHOOK_WORKERS=off) and two worker processes on one PostgreSQL and one Redis: the rate of a webhook
// is one, whichever process sends.
describe('per-webhook delivery rate across worker processes (docs/rate-limits.md)', function () {
	this.timeout(600_000);
	let redis: OwnRedis;
	let web: HostProcess;
	let workers: HostProcess[] = [];
	let alice: Account;
	let bob: Account;
	const hooks: Record<string, { id: string }> = {};
	const receiver = new TestReceiver();

	before(async () => {
		await resetDatabase();
		redis = await OwnRedis.start();
		await receiver.start();
		// Generous retries: a delivery held back by its rate must still arrive, and a 429 must not use them all up.
		const env = faultHostEnv(testDatabaseUrl, redis.url, { WEBHOOK_RETRY_DELAYS_MS: '1000,2000,4000,8000,15000,30000,60000' });
		web = await startWebProcess({ ...env, WEBHOOK_WORKERS: 'off' });
		// The webhooks exist before the workers start, as in the split the other suites run.
		alice = await signUp(web.listenUrl, 'alice');
		hooks.limited = await expectOk(web.listenUrl, 'i/webhooks/create', { name: 'limited', url: receiver.url('/limited'), on: ['note'], deliveryRate: 4, deliveryBurst: 2 }, alice.token);
		bob = await signUp(web.listenUrl, 'bob');
		hooks.discord = await expectOk(web.listenUrl, 'i/webhooks/create', { name: 'to discord', url: receiver.url('/discord'), on: ['note'], format: 'discord' }, bob.token);
		// The same notes to a webhook with no rate (Misskey's envelope): what the receiver answers without one.
		hooks.unlimited = await expectOk(web.listenUrl, 'i/webhooks/create', { name: 'no rate', url: receiver.url('/unlimited'), on: ['note'], format: 'misskey' }, bob.token);
		workers = [await startWorkerProcess({ ...env, LOG_LEVEL: 'debug' }), await startWorkerProcess({ ...env, LOG_LEVEL: 'debug' })];
	});
	after(async () => {
		for (const child of [web, ...workers]) await child?.stop();
		await receiver.close();
		await redis?.kill();
	});
	afterEach(function () {
		if (this.currentTest?.state === 'failed') for (const child of [web, ...workers]) console.error(`process output:\n${child?.output().slice(-5000)}`);
	});

	it('a webhook limited to 4 a second with a burst of 2 gets every delivery at that rate, from both workers together', async () => {
		const perSecond = 4;
		const burst = 2;
		const notes = 40;
		const hook = hooks.limited;
		await postNotes(web.listenUrl, alice, notes, 8);
		const arrived = await receiver.waitForRequests(notes, 240_000, '/limited');
		assert.equal(new Set(arrived.map((request) => request.json.body.note.id)).size, notes, 'every note arrived');
		await receiver.settle(1500);
		const times = receiver.requests.filter((request) => request.path === '/limited').map((request) => request.receivedAt);
		assert.equal(times.length, notes, 'each note once');
		const spanS = (Math.max(...times) - Math.min(...times)) / 1000;
		const byWorker = workers.map((worker) => deliveredBy(worker, hook.id));
		console.log(`      ${notes} deliveries in ${spanS.toFixed(1)} s (${((notes - burst) / spanS).toFixed(2)} a second after the burst; limit ${perSecond}), by worker: ${byWorker.join(' + ')}`);
		assert.ok(worstExcess(times, perSecond, burst) <= 0, `more arrived in some stretch than ${perSecond} a second with a burst of ${burst} allow`);
		// Both processes sent: the rate held between them, not within one.
		assert.ok(byWorker.every((count) => count > 0), `deliveries by worker: ${byWorker.join(', ')}`);
		assert.equal(byWorker[0] + byWorker[1], notes);
	});

	it('200 notes at once to a receiver limited as Discord is: the discord format\'s default rate all but ends the 429s, and every delivery arrives', async () => {
		const notes = 200;
		const { tooMany, acceptedIds } = discordLikeLimit(receiver);
		receiver.requests.length = 0;
		const startedAt = Date.now();
		await postNotes(web.listenUrl, bob, notes, 20);
		const deadline = Date.now() + 480_000;
		while (acceptedIds('/discord').size < notes && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
		const elapsedS = (Date.now() - startedAt) / 1000;
		const discord429 = tooMany.get('/discord') ?? 0;
		const unlimited429 = tooMany.get('/unlimited') ?? 0;
		console.log(`      discord format (default 2 a second): ${acceptedIds('/discord').size} of ${notes} delivered in ${elapsedS.toFixed(0)} s, 429s: ${discord429}; the same notes without a rate: ${unlimited429} 429s, ${acceptedIds('/unlimited').size} delivered meanwhile`);
		assert.equal(acceptedIds('/discord').size, notes, 'every delivery arrived');
		// Near zero: a request delayed on its way (a busy machine) may now and then meet a full window.
		assert.ok(discord429 <= 5, `${discord429} answers 429 to the rate-limited webhook`);
		assert.ok(unlimited429 > 50, `without a rate the receiver answered 429 ${unlimited429} times`);
	});
});
