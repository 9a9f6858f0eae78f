import assert from 'node:assert/strict';
import { TargetHostLimiter, targetHostOf } from '../../src/delivery/queue/target-host-limiter.js';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => { resolve = r; });
	return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('target host limiter', () => {
	it('never runs more than the limit at once for one host', async () => {
		const limiter = new TargetHostLimiter(2);
		const gates = Array.from({ length: 5 }, deferred);
		let running = 0;
		let peak = 0;
		const all = gates.map((gate) => limiter.run('a.example', async () => {
			running++;
			peak = Math.max(peak, running);
			await gate.promise;
			running--;
		}));
		await tick();
		assert.equal(limiter.activeFor('a.example'), 2);
		assert.equal(limiter.waitingFor('a.example'), 3);
		for (const gate of gates) {
			gate.resolve();
			await tick();
		}
		await Promise.all(all);
		assert.equal(peak, 2);
		assert.equal(limiter.activeFor('a.example'), 0);
	});

	it('serves waiters of one host first come, first served', async () => {
		const limiter = new TargetHostLimiter(1);
		const first = deferred();
		const order: number[] = [];
		const runs = [limiter.run('a.example', () => first.promise.then(() => order.push(0)))];
		for (let i = 1; i <= 4; i++) runs.push(limiter.run('a.example', async () => order.push(i)));
		await tick();
		first.resolve();
		await Promise.all(runs);
		assert.deepEqual(order, [0, 1, 2, 3, 4]);
	});

	it('a host at its limit does not hold back another host', async () => {
		const limiter = new TargetHostLimiter(1);
		const blocker = deferred();
		const blocked = limiter.run('slow.example', () => blocker.promise);
		let otherRan = false;
		await limiter.run('fast.example', async () => { otherRan = true; });
		assert.ok(otherRan);
		blocker.resolve();
		await blocked;
	});

	it('a failing task frees its slot and its error reaches the caller', async () => {
		const limiter = new TargetHostLimiter(1);
		await assert.rejects(limiter.run('a.example', async () => { throw new RangeError('boom'); }), RangeError);
		assert.equal(await limiter.run('a.example', async () => 'next'), 'next');
		assert.equal(limiter.activeFor('a.example'), 0);
	});

	it('rejects a limit below one', () => {
		assert.throws(() => new TargetHostLimiter(0), RangeError);
	});

	it('keys targets by host and port', () => {
		assert.equal(targetHostOf('https://hooks.example:8443/a?b'), 'hooks.example:8443');
		assert.equal(targetHostOf('http://hooks.example/a'), 'hooks.example');
		assert.notEqual(targetHostOf('http://127.0.0.1:1000/'), targetHostOf('http://127.0.0.1:1001/'));
		assert.equal(targetHostOf('not a url'), 'not a url');
	});
});
