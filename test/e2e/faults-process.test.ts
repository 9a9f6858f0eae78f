import assert from 'node:assert/strict';
import type { HostProcess } from './host-process.js';
import { describeCount, faultHostEnv, faultNotes, killHard, NoteLoad, OwnPostgres, OwnRedis, settleTimeoutMs, startWebProcess } from './fault-harness.js';

// Real crashes of the reference host (`npm start`) on a PostgreSQL cluster and a Redis of this suite's own: each test
// creates FAULT_NOTES notes (default 100) for a user with three webhooks while one thing is broken, then counts at the
// receiver: every committed note must reach every webhook (at-least-once: the same `webhook-id` may come twice).
describe('faults of real processes: nothing committed is lost (reference host as a child process)', function () {
	this.timeout(180_000 + settleTimeoutMs(faultNotes));
	let postgres: OwnPostgres;
	let redis: OwnRedis;
	let host: HostProcess | null = null;
	let load: NoteLoad | null = null;
	const database = () => postgres.url('mw_fault');
	const env = () => faultHostEnv(database(), redis.url);
	let userNumber = 0;

	before(async () => {
		[postgres, redis] = await Promise.all([OwnPostgres.start(), OwnRedis.start()]);
	});
	afterEach(async function () {
		// A run that failed (a timeout above all) shows how far the notes got and what the host said last.
		if (this.currentTest?.state === 'failed') {
			console.log(`      notes acknowledged: ${load?.acked ?? 0} of ${faultNotes}; deliveries received: ${load?.receiver.requests.length ?? 0}`);
			console.log((host?.output() ?? '').split('\n').slice(-80).map((line) => `      host: ${line}`).join('\n'));
		}
		await host?.stop();
		host = null;
		await load?.close();
		load = null;
	});
	after(async () => {
		await redis?.kill();
		await postgres?.destroy();
	});

	async function startLoad(): Promise<NoteLoad> {
		host = await startWebProcess(env());
		load = new NoteLoad(() => host!.listenUrl, database());
		await load.setUp(`faulty${++userNumber}`);
		return load;
	}

	/** `recoveryLimitMs`: how soon after the fault every delivery must have arrived (a crash must not leave deliveries parked far ahead). */
	function report(label: string, count: Awaited<ReturnType<NoteLoad['settle']>>, faultEndedAt: number, recoveryLimitMs?: number): void {
		const recoveredMs = count.completedAt - faultEndedAt;
		console.log(`      ${describeCount(label, count, recoveredMs, load!.resumedAfter(faultEndedAt))}`);
		assert.equal(count.lost, 0, `${count.lost} of ${count.expected} deliveries not made`);
		assert.equal(count.reraised, 0, 'no event raised twice');
		assert.ok(count.expected >= faultNotes * 3);
		if (recoveryLimitMs !== undefined) assert.ok(recoveredMs < recoveryLimitMs, `all delivered ${recoveredMs} ms after the fault, more than ${recoveryLimitMs} ms`);
	}

	// A job whose attempt's record died with its process is re-queued after a 30 s grace; the rest comes back in seconds.
	const crashRecoveryLimitMs = 60_000 + faultNotes * 3 * 50;

	it('SIGKILL of the host mid-run, then a restart: every committed note is delivered', async () => {
		const notes = await startLoad();
		const running = notes.run(faultNotes);
		await notes.acknowledged(Math.floor(faultNotes / 3));
		await killHard(host!);
		host = await startWebProcess(env());
		const faultEndedAt = Date.now();
		await running;
		report('host SIGKILL', await notes.settle(settleTimeoutMs(faultNotes)), faultEndedAt, crashRecoveryLimitMs);
	});

	it('Redis killed mid-run and started again empty: the outbox refills the queue', async () => {
		const notes = await startLoad();
		const running = notes.run(faultNotes);
		await notes.acknowledged(Math.floor(faultNotes / 3));
		await redis.kill();
		await new Promise((resolve) => setTimeout(resolve, 1000));
		await redis.resume();
		const faultEndedAt = Date.now();
		await running;
		report('Redis restart (empty)', await notes.settle(settleTimeoutMs(faultNotes)), faultEndedAt, crashRecoveryLimitMs);
	});

	it('PostgreSQL stopped for 20 s mid-run: events wait in the intake, bodies are packed once it is back', async () => {
		const notes = await startLoad();
		const running = notes.run(faultNotes);
		await notes.acknowledged(Math.floor(faultNotes / 3));
		await postgres.halt();
		await new Promise((resolve) => setTimeout(resolve, Number(process.env.FAULT_PG_OUTAGE_MS ?? 20_000)));
		await postgres.resume();
		const faultEndedAt = Date.now();
		await running;
		report('PostgreSQL 20 s outage', await notes.settle(60_000 + settleTimeoutMs(faultNotes)), faultEndedAt);
	});
});
