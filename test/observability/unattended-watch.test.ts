import assert from 'node:assert/strict';
import type { QueueReading } from '../../src/observability/queue-readings.js';
import { UnattendedWatch, WATCH_READ_TIMEOUT_MS } from '../../src/observability/unattended-watch.js';
import { CapturingLogger } from '../support/logger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reading(unattended: boolean): QueueReading {
	return {
		lag: { name: 'userWebhookDeliver', waiting: 3, overdueDelayed: 1, oldestWaitingMs: 5000 },
		attendance: { name: 'userWebhookDeliver', lastTakenAt: null, unattendedMs: unattended ? 5000 : 100, unattended },
	};
}

describe('the unattended-queue watch: what it logs, and when', function () {
	this.timeout(10_000);

	it('warns once per episode however many looks see it, says once when it ends, and warns again at the next one', async () => {
		// Each look takes the next state; the last one holds. The threshold makes looks 500 ms apart.
		const states = [false, true, true, true, false, false, true, true];
		let looks = 0;
		const logger = new CapturingLogger();
		const watch = new UnattendedWatch({ read: async () => [reading(states[Math.min(looks++, states.length - 1)]!)], unattendedQueueAfterMs: 2000, logger });
		watch.start();
		try {
			while (looks < states.length + 1) await sleep(50);
		} finally {
			await watch.stop();
		}
		assert.deepEqual(logger.entries.map((entry) => [entry.level, entry.message]), [
			['warn', 'deliveries wait and no worker takes them: is startWorkers() running in some process?'],
			['info', 'deliveries no longer wait unattended'],
			['warn', 'deliveries wait and no worker takes them: is startWorkers() running in some process?'],
		]);
		assert.deepEqual(logger.entries[0]?.fields, { queue: 'userWebhookDeliver', waiting: 4, unattendedMs: 5000, lastTakenAt: null, unattendedQueueAfterMs: 2000 });
	});

	it('a look that never gets its answer is given up, so stopping the watch never hangs', async () => {
		const watch = new UnattendedWatch({ read: () => new Promise(() => {}), unattendedQueueAfterMs: 2000, logger: new CapturingLogger() });
		watch.start();
		const started = Date.now();
		await watch.stop();
		assert.ok(Date.now() - started <= WATCH_READ_TIMEOUT_MS + 500, `stop took ${Date.now() - started} ms`);
	});
});
