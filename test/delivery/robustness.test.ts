import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, finishedJobOf, sampleBody, waitUntilIdle } from './fixture.js';

/** A receiver that answers 204 after `delayMs` and remembers the most requests it had open at once. */
async function startCountingReceiver(delayMs: number) {
	let open = 0;
	let peak = 0;
	let total = 0;
	const server = http.createServer((req, res) => {
		open++;
		total++;
		peak = Math.max(peak, open);
		req.resume();
		setTimeout(() => {
			open--;
			res.writeHead(204).end();
		}, delayMs);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		stats: () => ({ peak, total }),
		close: () => new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

describe('delivery: misbehaving receivers and fairness', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
	});
	afterEach(() => receiver.clear());
	after(async () => {
		await fixture.close();
		await receiver.close();
	});

	it('a redirect is not followed: the 3xx is recorded and retried, the Location never requested', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [20] });
		const hook = await fixture.createWebhook(receiver.url('/moving'));
		receiver.replyAlways((req) => (req.path === '/moving' ? { status: 302, headers: { location: receiver.url('/target') } } : { status: 200 }));
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		const requests = await receiver.settle(60);
		assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), ['POST /moving', 'POST /moving']);
		const { state, job } = await finishedJobOf(delivery.queue, hook.id);
		assert.equal(state, 'failed');
		assert.equal(job.failedReason, '302 Found');
		assert.equal((await fixture.rowWithStatus(hook.id)).latestStatus, 302);
	});

	it('a 10 MB response body costs one attempt and does not stall the next delivery', async () => {
		const delivery = await fixture.delivery({ workerConcurrency: 1, requestTimeoutMs: 5000 });
		const huge = await fixture.createWebhook(receiver.url('/huge'));
		const next = await fixture.createWebhook(receiver.url('/next'));
		receiver.replyAlways((req) => (req.path === '/huge' ? { hugeBodyBytes: 10 * 1024 * 1024 } : { status: 204 }));
		await delivery.enqueue([huge], 'note', sampleBody);
		await receiver.waitForRequests(1, 2000, '/huge');
		await delivery.enqueue([next], 'note', sampleBody);
		await receiver.waitForRequests(1, 1000, '/next');
		await waitUntilIdle(delivery.queue);
		assert.equal((await finishedJobOf(delivery.queue, huge.id)).state, 'completed');
		assert.equal((await finishedJobOf(delivery.queue, next.id)).state, 'completed');
		assert.equal(receiver.requests.filter((r) => r.path === '/huge').length, 1);
	});

	it('an endless response body does not stall the next delivery', async () => {
		const delivery = await fixture.delivery({ workerConcurrency: 1, requestTimeoutMs: 5000 });
		const endless = await fixture.createWebhook(receiver.url('/endless'));
		const next = await fixture.createWebhook(receiver.url('/after-endless'));
		receiver.replyAlways((req) => (req.path === '/endless' ? { hugeBodyBytes: Infinity, status: 200 } : { status: 204 }));
		await delivery.enqueue([endless], 'note', sampleBody);
		await receiver.waitForRequests(1, 2000, '/endless');
		await delivery.enqueue([next], 'note', sampleBody);
		await receiver.waitForRequests(1, 1000, '/after-endless');
		await waitUntilIdle(delivery.queue);
		assert.equal((await finishedJobOf(delivery.queue, endless.id)).state, 'completed');
		assert.equal((await fixture.rowWithStatus(endless.id)).latestStatus, 200);
	});

	it('an endless body is cut off after a small read: the connection closes long before the timeout', async () => {
		let connectionClosed: () => void;
		const closed = new Promise<void>((resolve) => { connectionClosed = resolve; });
		let bytesWritten = 0;
		const endless = http.createServer((req, res) => {
			req.resume();
			res.writeHead(200, { 'content-type': 'text/plain' });
			const chunk = Buffer.alloc(16 * 1024, 'x');
			const pump = () => {
				while (!res.destroyed && res.write(chunk)) bytesWritten += chunk.length;
				if (!res.destroyed) res.once('drain', pump);
			};
			res.on('close', () => connectionClosed());
			pump();
		});
		await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
		try {
			const delivery = await fixture.delivery({ requestTimeoutMs: 10_000 });
			const hook = await fixture.createWebhook(`http://127.0.0.1:${(endless.address() as AddressInfo).port}/hook`);
			const startedAt = Date.now();
			await delivery.enqueue([hook], 'note', sampleBody);
			await closed;
			assert.ok(Date.now() - startedAt < 2000, 'closed well before the 10 s timeout');
			// Socket buffers hold some megabytes at most; an unbounded reader would take far more before the timeout.
			assert.ok(bytesWritten < 64 * 1024 * 1024, `${bytesWritten} bytes written`);
			await waitUntilIdle(delivery.queue);
			assert.equal((await finishedJobOf(delivery.queue, hook.id)).state, 'completed');
		} finally {
			endless.closeAllConnections();
			await new Promise<void>((resolve) => endless.close(() => resolve()));
		}
	});

	it('a hanging receiver holds only its own host: another host is delivered meanwhile', async () => {
		const delivery = await fixture.delivery({ requestTimeoutMs: 3000, concurrencyPerTargetHost: 1, retryDelaysMs: [] });
		const hanging = await new TestReceiver().start();
		try {
			hanging.replyAlways({ hang: true });
			const stuck = await Promise.all([1, 2, 3].map(() => fixture.createWebhook(hanging.url())));
			const healthy = await fixture.createWebhook(receiver.url('/healthy'));
			await delivery.enqueue(stuck, 'note', sampleBody);
			await hanging.waitForRequests(1);
			await delivery.enqueue([healthy], 'note', sampleBody);
			const [request] = await receiver.waitForRequests(1, 1000, '/healthy');
			assert.equal(request.json.hookId, healthy.id);
			// One request at a time reaches the hanging host; the others wait their turn in this process.
			assert.equal(hanging.requests.length, 1);
		} finally {
			await hanging.close();
		}
	});

	it('with a limit of 2 per host, the receiver never sees more than 2 requests at once', async () => {
		const counting = await startCountingReceiver(60);
		try {
			const delivery = await fixture.delivery({ concurrencyPerTargetHost: 2, workerConcurrency: 16 });
			const hooks = await Promise.all(Array.from({ length: 12 }, () => fixture.createWebhook(counting.url)));
			await delivery.enqueue(hooks, 'note', sampleBody);
			await waitUntilIdle(delivery.queue);
			assert.deepEqual(counting.stats(), { peak: 2, total: 12 });
		} finally {
			await counting.close();
		}
	});
});
