import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { NO_RESPONSE_STATUS } from '../../src/delivery/retry/outcome.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, finishedJobOf, sampleBody, waitUntilIdle } from './fixture.js';

/** An HTTP receiver on IPv6 loopback that counts what reaches it. */
async function startIpv6Receiver() {
	const paths: string[] = [];
	const server = http.createServer((req, res) => {
		paths.push(req.url ?? '');
		req.resume();
		res.writeHead(204).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
	return {
		paths,
		url: (path: string) => `http://[::1]:${(server.address() as AddressInfo).port}${path}`,
		close: () => new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

describe('delivery: the address guard on real deliveries', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;
	let strict: UserWebhookDelivery;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
		// No allowlist at all: the module's default, as the reference host runs.
		strict = await fixture.delivery({ allowedPrivateNetworks: [], retryDelaysMs: [5, 5] });
	});
	afterEach(() => {
		receiver.clear();
		fixture.logger.lines.length = 0;
	});
	after(async () => {
		await fixture.close();
		await receiver.close();
	});

	async function deliverThrough(delivery: UserWebhookDelivery, url: string) {
		const hook = await fixture.createWebhook(url);
		await delivery.enqueue([hook], 'note', sampleBody);
		await waitUntilIdle(delivery.queue);
		const { job, state } = await finishedJobOf(delivery.queue, hook.id);
		return { hook, job, state, row: await fixture.rowWithStatus(hook.id) };
	}

	it('a delivery to 127.0.0.1 is blocked: final after one attempt, status 1, the reason logged, nothing received', async () => {
		const { hook, job, state, row } = await deliverThrough(strict, receiver.url('/loopback'));
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, 1, 'a blocked address is not retried');
		assert.match(job.failedReason ?? '', /Blocked address: 127\.0\.0\.1 \(loopback\)/);
		assert.equal(row.latestStatus, NO_RESPONSE_STATUS);
		assert.ok(row.latestSentAt instanceof Date);
		assert.deepEqual(await receiver.settle(50), []);
		const entry = fixture.logger.entries.find((e) => e.fields.webhookId === hook.id);
		assert.equal(entry?.message, 'webhook delivery failed, giving up');
		assert.equal(entry?.fields.result, 'blocked');
		assert.equal(entry?.fields.errorClass, 'blocked-address');
		assert.match(String(entry?.fields.reason), /Blocked address: 127\.0\.0\.1 \(loopback\)/);
	});

	it('a host name resolving to 127.0.0.1 (localhost) is blocked after DNS', async () => {
		const { job, state, row } = await deliverThrough(strict, `http://localhost:${receiver.port}/by-name`);
		assert.equal(state, 'failed');
		assert.equal(job.attemptsMade, 1);
		assert.match(job.failedReason ?? '', /Blocked address: (127\.0\.0\.1|::1) \(loopback\)/);
		assert.equal(row.latestStatus, NO_RESPONSE_STATUS);
		assert.deepEqual(await receiver.settle(50), []);
	});

	it('the decimal form http://2130706433/ is 127.0.0.1 and blocked', async () => {
		const { job } = await deliverThrough(strict, `http://2130706433:${receiver.port}/decimal`);
		assert.equal(job.attemptsMade, 1);
		assert.match(job.failedReason ?? '', /Blocked address: 127\.0\.0\.1 \(loopback\)/);
		assert.deepEqual(await receiver.settle(50), []);
	});

	it('http://[::1]:port/ is blocked, and allowed by ::1/128', async () => {
		const ipv6 = await startIpv6Receiver();
		try {
			const blocked = await deliverThrough(strict, ipv6.url('/blocked'));
			assert.equal(blocked.job.attemptsMade, 1);
			assert.match(blocked.job.failedReason ?? '', /Blocked address: ::1 \(loopback\)/);
			assert.equal(blocked.row.latestStatus, NO_RESPONSE_STATUS);

			const allowing = await fixture.delivery({ allowedPrivateNetworks: ['::1/128'] });
			const allowed = await deliverThrough(allowing, ipv6.url('/allowed'));
			assert.equal(allowed.state, 'completed');
			assert.equal(allowed.row.latestStatus, 204);
			assert.deepEqual(ipv6.paths, ['/allowed']);
		} finally {
			await ipv6.close();
		}
	});

	it('an IPv4-mapped address is blocked even when its IPv4 is allowed', async () => {
		const allowing = await fixture.delivery({ allowedPrivateNetworks: ['127.0.0.0/8'] });
		const { job } = await deliverThrough(allowing, `http://[::ffff:127.0.0.1]:${receiver.port}/mapped`);
		assert.equal(job.attemptsMade, 1);
		assert.match(job.failedReason ?? '', /Blocked address: ::ffff:7f00:1 \(ipv4-mapped\)/);
		assert.deepEqual(await receiver.settle(50), []);
	});

	it('the allowlist lets the same delivery through', async () => {
		const allowing = await fixture.delivery({ allowedPrivateNetworks: ['127.0.0.0/8'] });
		const { state, row } = await deliverThrough(allowing, receiver.url('/allowed'));
		assert.equal(state, 'completed');
		assert.equal(row.latestStatus, 200);
		assert.deepEqual(receiver.requests.map((r) => r.path), ['/allowed']);
	});

	it('an allowlist entry with a port lets that port through and blocks another', async () => {
		const rightPort = await fixture.delivery({ allowedPrivateNetworks: [`127.0.0.0/8:${receiver.port}`] });
		assert.equal((await deliverThrough(rightPort, receiver.url('/right-port'))).state, 'completed');
		const otherPort = await fixture.delivery({ allowedPrivateNetworks: [`127.0.0.0/8:${receiver.port === 65535 ? 1 : receiver.port + 1}`] });
		const blocked = await deliverThrough(otherPort, receiver.url('/other-port'));
		assert.equal(blocked.job.attemptsMade, 1);
		assert.match(blocked.job.failedReason ?? '', /Blocked address: 127\.0\.0\.1 \(loopback\)/);
		assert.deepEqual(receiver.requests.map((r) => r.path), ['/right-port']);
	});

	it('a redirect to a private address is not followed: the second path is never requested', async () => {
		const allowing = await fixture.delivery({ allowedPrivateNetworks: [`127.0.0.0/8:${receiver.port}`], retryDelaysMs: [] });
		receiver.replyAlways((req) => (req.path === '/redirecting' ? { status: 307, headers: { location: receiver.url('/second') } } : { status: 200 }));
		const { state, row } = await deliverThrough(allowing, receiver.url('/redirecting'));
		assert.equal(state, 'failed');
		assert.equal(row.latestStatus, 307);
		assert.deepEqual((await receiver.settle(50)).map((r) => r.path), ['/redirecting']);
	});
});
