import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import { LAST_TAKEN_WRITE_INTERVAL_MS, LastTakenWriter, lastTakenKey } from '../../src/delivery/queue/last-taken.js';
import { testRedisUrl } from '../support/env.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the time a worker last took a job, in Redis', function () {
	this.timeout(10_000);

	let queue: Bull.Queue;
	let writer: LastTakenWriter;
	beforeEach(() => {
		queue = new Bull('userWebhookDeliver', testRedisUrl, { prefix: `mw-test-taken-${randomUUID()}` });
		writer = new LastTakenWriter(queue);
	});
	afterEach(async () => {
		writer.stop();
		await queue.obliterate({ force: true });
		await queue.close();
	});
	const stored = async () => Number(await queue.client.get(lastTakenKey(queue)));

	it('in a burst of takes the first is written at once, the rest once at the end of its second, as the last take', async () => {
		const start = Date.now();
		writer.taken(start);
		writer.taken(start + 10);
		writer.taken(start + 20);
		await sleep(100);
		assert.equal(await stored(), start, 'the first take is written at once, the next ones wait');
		await sleep(LAST_TAKEN_WRITE_INTERVAL_MS);
		assert.equal(await stored(), start + 20, 'the last take of the second is written at its end');
	});

	it('a take after a quiet second is written at once', async () => {
		const start = Date.now();
		writer.taken(start - 5000);
		writer.taken(start);
		await sleep(100);
		assert.equal(await stored(), start);
	});

	it('once stopped, a take waiting for its second is not written', async () => {
		const start = Date.now();
		writer.taken(start);
		writer.taken(start + 10);
		writer.stop();
		await sleep(LAST_TAKEN_WRITE_INTERVAL_MS + 100);
		assert.equal(await stored(), start);
	});
});
