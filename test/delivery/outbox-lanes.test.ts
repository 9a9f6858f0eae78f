import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { OUTBOX_MAX_WRITES_IN_FLIGHT } from '../../src/delivery/outbox/outbox-writer.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, sampleBody } from './fixture.js';
import { deliveryRowsOf } from './outbox-fixture.js';
import { aroundStatements } from '../support/statements.js';

/** Runs `during` and reports the most outbox INSERTs PostgreSQL was running at once, and how many there were. */
async function insertsInFlight(dataSource: DataSource, during: () => Promise<void>): Promise<{ most: number; total: number }> {
	let running = 0;
	const seen = { most: 0, total: 0 };
	const undo = aroundStatements(dataSource, async (text, send) => {
		if (!/^INSERT INTO "webhook_delivery"/.test(text)) return send();
		running++;
		seen.total++;
		seen.most = Math.max(seen.most, running);
		try {
			return await send();
		} finally {
			running--;
		}
	});
	try {
		await during();
	} finally {
		undo();
	}
	return seen;
}

describe('delivery: outbox writes in flight together', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
	});
	after(async () => {
		await fixture.close();
		await receiver.close();
	});

	it('events raised while an INSERT runs do not wait for it: they go together in a second INSERT at once', async () => {
		const producer = await fixture.delivery({}, false);
		const hooks = await Promise.all([1, 2, 3, 4].map(() => fixture.createWebhook(receiver.url())));
		const seen = await insertsInFlight(fixture.dataSource, async () => {
			await Promise.all(hooks.map((hook) => producer.enqueue([hook], 'note', sampleBody)));
		});
		assert.deepEqual(seen, { most: 2, total: 2 });
		assert.equal((await producer.queue.getWaiting()).length, 4);
		for (const hook of hooks) assert.equal((await deliveryRowsOf(fixture.dataSource, hook.id)).length, 1);
	});

	it(`never runs more than ${OUTBOX_MAX_WRITES_IN_FLIGHT} INSERTs at once, and every event still lands and is queued`, async () => {
		const producer = await fixture.delivery({}, false);
		const hooks = await Promise.all(Array.from({ length: 12 }, () => fixture.createWebhook(receiver.url())));
		const seen = await insertsInFlight(fixture.dataSource, async () => {
			// One event per task, so each may open a lane of its own while the others' INSERTs run.
			await Promise.all(hooks.map((hook, i) => new Promise<void>((resolve, reject) => {
				setTimeout(() => {
					producer.enqueue([hook], 'note', sampleBody).then(resolve, reject);
				}, i % 3);
			})));
		});
		assert.ok(seen.most >= 1 && seen.most <= OUTBOX_MAX_WRITES_IN_FLIGHT, `${seen.most} at once`);
		assert.equal((await producer.queue.getWaiting()).length, 12);
		for (const hook of hooks) assert.equal((await deliveryRowsOf(fixture.dataSource, hook.id)).length, 1);
	});
});
