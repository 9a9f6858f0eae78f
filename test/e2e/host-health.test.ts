import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetDatabase } from '../support/database.js';
import { freePort, startReferenceHost, type HostProcess } from './host-process.js';

/** A Redis of this suite's own, on `port`, that the test may stop: no persistence, in a temp dir. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise<void>((resolve, reject) => {
		let output = '';
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			if (output.includes('Ready to accept connections')) resolve();
		});
		child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
	});
	return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGKILL');
	await exited;
}

interface Healthz {
	status: number;
	body: { ok: boolean; postgres: { ok: boolean; latencyMs: number; error?: string }; redis: { ok: boolean; latencyMs: number; error?: string }; queue: { ok: boolean; queues: Array<{ name: string; waiting: number }>; stalePendingDeliveries: number | null } };
}

describe('the reference host\'s /healthz follows a Redis that goes away and comes back', function () {
	this.timeout(90_000);

	let dir: string;
	let redisPort: number;
	let redis: ChildProcess | undefined;
	let host: HostProcess | undefined;

	async function healthz(): Promise<Healthz> {
		// The check has its own timeouts; this one only keeps a hung host from hanging the suite.
		const response = await fetch(`${host!.listenUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
		return { status: response.status, body: await response.json() as Healthz['body'] };
	}

	async function healthzUntil(status: number, timeoutMs = 30_000): Promise<Healthz> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const answer = await healthz();
			if (answer.status === status) return answer;
			if (Date.now() > deadline) throw new Error(`/healthz still answers ${answer.status}: ${JSON.stringify(answer.body)}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	before(async () => {
		await resetDatabase();
		dir = await mkdtemp(path.join(tmpdir(), 'mw-health-redis-'));
		redisPort = await freePort();
		redis = await startRedis(redisPort, dir);
		host = await startReferenceHost([50], { REDIS_URL: `redis://127.0.0.1:${redisPort}/0` });
	});

	after(async () => {
		// The host closes its queues cleanly only while their Redis answers.
		if (redis && (redis.exitCode !== null || redis.signalCode !== null)) redis = await startRedis(redisPort, dir);
		await host?.stop();
		if (redis) await stopRedis(redis);
		await rm(dir, { recursive: true, force: true });
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('answers 200 with every check ok while PostgreSQL and Redis answer', async () => {
		const { status, body } = await healthz();
		assert.equal(status, 200, JSON.stringify(body));
		assert.equal(body.ok, true);
		assert.equal(body.postgres.ok, true);
		assert.equal(body.redis.ok, true);
		assert.equal(typeof body.redis.latencyMs, 'number');
		assert.equal(body.queue.ok, true);
		assert.deepEqual(body.queue.queues.map((queue) => [queue.name, queue.waiting]), [['userWebhookDeliver', 0], ['systemWebhookDeliver', 0]]);
		assert.equal(body.queue.stalePendingDeliveries, 0);
	});

	it('answers 503 naming Redis once it is gone, within the check\'s timeout, and PostgreSQL still ok', async () => {
		await stopRedis(redis!);
		const started = Date.now();
		const { body } = await healthzUntil(503);
		assert.equal(body.ok, false);
		assert.equal(body.redis.ok, false);
		assert.equal(typeof body.redis.error, 'string');
		assert.equal(body.postgres.ok, true);
		// Another answer while Redis is away comes back in about the check's 1 s timeout, not never.
		const again = Date.now();
		assert.equal((await healthz()).status, 503);
		assert.ok(Date.now() - again < 8000, `a health check took ${Date.now() - again} ms`);
		assert.ok(Date.now() - started < 30_000);
	});

	it('answers 200 again once Redis is back', async () => {
		redis = await startRedis(redisPort, dir);
		const { body } = await healthzUntil(200);
		assert.equal(body.ok, true);
		assert.equal(body.redis.ok, true);
	});
});
