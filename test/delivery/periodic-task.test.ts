import assert from 'node:assert/strict';
import { PeriodicTask } from '../../src/delivery/outbox/periodic-task.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => { resolve = r; });
	return { promise, resolve };
}

describe('PeriodicTask', () => {
	it('a run during a pass joins it instead of starting another', async () => {
		const gate = deferred();
		let passes = 0;
		const task = new PeriodicTask({ intervalMs: 60_000, pass: async () => { passes += 1; await gate.promise; return passes; }, onError: () => {} });
		const first = task.run();
		const second = task.run();
		gate.resolve();
		assert.deepEqual(await Promise.all([first, second]), [1, 1]);
		assert.equal(passes, 1);
	});

	it('stop waits for the running pass, which sees stopped', async () => {
		const gate = deferred();
		let sawStopped = false;
		const task: PeriodicTask<void> = new PeriodicTask({ intervalMs: 60_000, pass: async () => { await gate.promise; sawStopped = task.stopped; }, onError: () => {} });
		task.start();
		let stopDone = false;
		const stopping = task.stop().then(() => { stopDone = true; });
		await new Promise((resolve) => setImmediate(resolve));
		assert.equal(stopDone, false);
		gate.resolve();
		await stopping;
		assert.equal(sawStopped, true);
	});

	it('a failed scheduled pass is reported and the next tick runs again', async () => {
		const errors: unknown[] = [];
		let passes = 0;
		const task = new PeriodicTask({ intervalMs: 10, pass: async () => { passes += 1; if (passes === 1) throw new Error('database away'); return passes; }, onError: (error) => errors.push(error) });
		task.start();
		const deadline = Date.now() + 2000;
		while (passes < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
		await task.stop();
		assert.equal(errors.length, 1);
		assert.ok(passes >= 2);
	});
});
