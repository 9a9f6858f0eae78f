import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { RESPONSE_BODY_PREFIX_BYTES } from '../../src/delivery/sender/sender.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, sampleBody } from './fixture.js';
import { attemptRowsOf, deliveryRowOnce } from './outbox-fixture.js';

const REQUEST_TIMEOUT_MS = 3000;

/** A TCP server that answers every connection with bytes that are not HTTP, then closes it. */
async function startGarbageServer(): Promise<{ url: string; close: () => Promise<void> }> {
	const server = net.createServer((socket) => {
		socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001garbage\r\n\r\n'));
		socket.on('error', () => {});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('delivery: misbehaving receivers cost one bounded attempt each, logged with its class', () => {
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

	/** Delivers once (no retries) to `url` and returns the delivery row, once finished, and its single attempt. */
	async function oneAttemptAgainst(url: string, expectedStatus: 'delivered' | 'failed') {
		const delivery = await fixture.delivery({ retryDelaysMs: [], requestTimeoutMs: REQUEST_TIMEOUT_MS });
		const hook = await fixture.createWebhook(url);
		const startedAt = Date.now();
		await delivery.enqueue([hook], 'note', sampleBody);
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, expectedStatus, 8000);
		const attempts = await attemptRowsOf(fixture.dataSource, row.id);
		assert.equal(attempts.length, 1, 'one attempt');
		assert.ok(Date.now() - startedAt < REQUEST_TIMEOUT_MS + 1500, 'well within the request timeout');
		assert.ok(attempts[0].durationMs < REQUEST_TIMEOUT_MS, `${attempts[0].durationMs} ms`);
		return { row, attempt: attempts[0] };
	}

	it('an answer that is not HTTP: no status, the parser error as its class', async () => {
		const garbage = await startGarbageServer();
		try {
			const { row, attempt } = await oneAttemptAgainst(garbage.url, 'failed');
			assert.equal(attempt.status, null);
			assert.match(attempt.errorClass ?? '', /^HPE_/);
			assert.equal(attempt.responseBody, null);
			assert.equal(row.lastStatus, 1);
		} finally {
			await garbage.close();
		}
	});

	it('a reset connection: no status, class ECONNRESET', async () => {
		receiver.replyAlways({ reset: true });
		const { attempt } = await oneAttemptAgainst(receiver.url('/reset'), 'failed');
		assert.deepEqual([attempt.status, attempt.errorClass, attempt.responseBody], [null, 'ECONNRESET', null]);
	});

	it('a 10 MB body: the status, and only its first 2 KB kept', async () => {
		receiver.replyAlways({ hugeBodyBytes: 10 * 1024 * 1024 });
		const { attempt } = await oneAttemptAgainst(receiver.url('/huge'), 'delivered');
		assert.equal(attempt.status, 200);
		assert.equal(attempt.responseBody, 'x'.repeat(RESPONSE_BODY_PREFIX_BYTES));
	});

	it('an endless body: the status, the first 2 KB, and the attempt over long before the timeout', async () => {
		receiver.replyAlways({ hugeBodyBytes: Infinity, status: 202 });
		const { attempt } = await oneAttemptAgainst(receiver.url('/endless'), 'delivered');
		assert.equal(attempt.status, 202);
		assert.equal(attempt.responseBody?.length, RESPONSE_BODY_PREFIX_BYTES);
		assert.ok(attempt.durationMs < 1000, `${attempt.durationMs} ms`);
	});

	it('headers, then a body that never comes: the attempt ends at the timeout with the status it got', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [], requestTimeoutMs: 300 });
		const stalling = net.createServer((socket) => {
			socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf'));
			socket.on('error', () => {});
		});
		await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
		try {
			const hook = await fixture.createWebhook(`http://127.0.0.1:${(stalling.address() as AddressInfo).port}/hook`);
			await delivery.enqueue([hook], 'note', sampleBody);
			const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered', 5000);
			const [attempt] = await attemptRowsOf(fixture.dataSource, row.id);
			assert.deepEqual([attempt.status, attempt.responseBody], [200, 'half']);
			assert.ok(attempt.durationMs >= 250 && attempt.durationMs < 1500, `${attempt.durationMs} ms`);
		} finally {
			await new Promise<void>((resolve) => stalling.close(() => resolve()));
		}
	});
});
