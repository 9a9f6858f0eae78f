import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { HostProcess } from './host-process.js';
import { describeCount, faultHostEnv, faultNotes, killHard, NoteLoad, OwnPostgres, OwnRedis, settleTimeoutMs, startWebProcess, startWorkerProcess } from './fault-harness.js';

// Misskey's split (`--only-server` / `--only-queue`): one web process that serves the API and raises events
// (WEBHOOK_WORKERS=off: no workers, no reconciler, no relay) and worker processes (`npm run worker`), on one PostgreSQL
// and one Redis. A worker killed mid-run loses nothing: its running jobs are taken up by the other after their hold expires.
describe('worker processes apart from the web process (npm start with WEBHOOK_WORKERS=off, npm run worker)', function () {
	this.timeout(150_000 + settleTimeoutMs(faultNotes));
	let postgres: OwnPostgres;
	let redis: OwnRedis;
	const processes: HostProcess[] = [];

	before(async () => {
		[postgres, redis] = await Promise.all([OwnPostgres.start(), OwnRedis.start()]);
	});
	after(async () => {
		for (const child of processes) await child.stop();
		await redis?.kill();
		await postgres?.destroy();
	});

	it('the web process delivers nothing itself; two workers deliver everything, and SIGKILL of one loses nothing', async () => {
		const database = postgres.url('mw_split');
		const web = await startWebProcess(faultHostEnv(database, redis.url, { WEBHOOK_WORKERS: 'off' }));
		processes.push(web);
		const load = new NoteLoad(() => web.listenUrl, database);
		try {
			await load.setUp('splitter');
			// No worker yet: the events wait in the intake; nothing is delivered by the web process.
			await load.run(5);
			assert.deepEqual(await load.receiver.settle(1500), [], 'the web process runs no worker');

			const workers = [await startWorkerProcess(faultHostEnv(database, redis.url)), await startWorkerProcess(faultHostEnv(database, redis.url))];
			processes.push(...workers);
			const running = load.run(faultNotes);
			// Mid-run, with deliveries in flight (the receiver takes 150 ms to answer).
			await load.acknowledged(5 + Math.floor(faultNotes / 3));
			let active = 0;
			while ((active = await activeJobs(redis.url)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
			await killHard(workers[0]);
			console.log(`      jobs active when a worker was killed: ${active}; requests so far ${load.receiver.requests.length}`);
			const faultEndedAt = Date.now();
			await running;
			const count = await load.settle(settleTimeoutMs(faultNotes + 5));
			console.log(`      ${describeCount('worker SIGKILL (1 web + 2 workers)', count, count.completedAt - faultEndedAt, load.resumedAfter(faultEndedAt))}`);
			assert.equal(count.lost, 0, `${count.lost} of ${count.expected} deliveries not made`);
			assert.equal(count.reraised, 0);
			assert.ok(count.expected >= (faultNotes + 5) * 3);
			assert.doesNotMatch(web.output(), /workers running/);
		} finally {
			await load.close();
		}
	});
});

async function activeJobs(url: string): Promise<number> {
	const client = new Redis(url);
	try {
		return await client.llen('bull:userWebhookDeliver:active');
	} finally {
		client.disconnect();
	}
}
