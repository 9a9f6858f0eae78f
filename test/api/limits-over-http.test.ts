import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resetDatabase } from '../support/database.js';
import { testAllowedPrivateNetworks, testDatabaseUrl, testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { callHost, expectOk, signUp } from '../e2e/host-client.js';
import { freePort, REFERENCE_HOST_COMMAND, startHostProcess, type HostProcess } from '../e2e/host-process.js';

// The probe that found the limit raceable, against two reference host processes sharing one database and Redis, as a
// cluster runs: creates sent to both at once, then a note that must fan out to exactly the limit's webhooks.
describe('the webhook limit over HTTP, across two host processes', function () {
	this.timeout(180_000);
	const hosts: HostProcess[] = [];
	let receiver: TestReceiver;

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		// One server (one registry channel) served by two processes.
		const serverUrl = `http://cluster-${randomBytes(4).toString('hex')}.test`;
		for (let i = 0; i < 2; i++) {
			const port = await freePort();
			hosts.push(await startHostProcess({
				command: REFERENCE_HOST_COMMAND,
				env: {
					PORT: String(port), HOST: '127.0.0.1', SERVER_URL: serverUrl, DATABASE_URL: testDatabaseUrl, REDIS_URL: testRedisUrl,
					WEBHOOK_RETRY_DELAYS_MS: '10', WEBHOOK_ALLOWED_PRIVATE_NETWORKS: testAllowedPrivateNetworks.join(','),
				},
			}));
		}
	});
	after(async () => {
		for (const host of hosts) await host.stop();
		await receiver?.close();
	});

	it('60 parallel creates split over both processes store 3 webhooks, and one note reaches exactly 3', async () => {
		const [a, b] = hosts.map((host) => host.listenUrl) as [string, string];
		const alice = await signUp(a, 'alice');
		const replies = await Promise.all(Array.from({ length: 60 }, (_, i) =>
			callHost(i % 2 ? a : b, 'i/webhooks/create', { name: `race ${i}`, url: receiver.url('/race'), on: ['note'] }, alice.token)));
		assert.equal(replies.filter((reply) => reply.status === 200).length, 3);
		assert.deepEqual([...new Set(replies.filter((reply) => reply.status !== 200).map((reply) => `${reply.status} ${reply.body?.error?.code}`))], ['400 TOO_MANY_WEBHOOKS']);
		assert.equal((await expectOk(b, 'i/webhooks/list', {}, alice.token)).length, 3);

		await expectOk(a, 'notes/create', { text: 'one note' }, alice.token);
		const deadline = Date.now() + 30_000;
		while (receiver.requests.filter((r) => r.path === '/race').length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
		// Whatever else was going to arrive has had time to.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(receiver.requests.filter((r) => r.path === '/race').length, 3);
	});

	it('hostile bytes over HTTP get INVALID_PARAM, never a 500', async () => {
		const origin = hosts[0]!.listenUrl;
		const bob = await signUp(origin, 'bob');
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ name: 'a\u0000b' }, '#/properties/name/storableText'],
			[{ secret: 'line\r\nInjected: yes' }, '#/properties/secret/headerValue'],
			[{ name: 'x\ud800' }, '#/properties/name/storableText'],
		];
		for (const [params, param] of cases) {
			const reply = await callHost(origin, 'i/webhooks/create', { name: 'n', url: receiver.url('/h'), on: ['note'], ...params }, bob.token);
			assert.equal(reply.status, 400, JSON.stringify(reply.body));
			assert.equal(reply.body.error.code, 'INVALID_PARAM');
			assert.equal(reply.body.error.info.param, param);
		}
	});
});
