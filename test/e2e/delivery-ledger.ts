import assert from 'node:assert/strict';
import type { UserWebhookEventType } from '../../src/events/catalogue.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import type { ReceivedRequest, TestReceiver } from '../support/receiver.js';

/** A registered webhook as the receiver should see it: its path on the receiver, id, owner and secret. */
export interface HookUnderTest {
	path: string;
	id: string;
	userId: string;
	secret: string;
}

/** One delivery a step must cause. */
export interface ExpectedDelivery {
	hook: HookUnderTest;
	type: UserWebhookEventType;
}

/** What every delivery must carry besides its own hook: the server it comes from. */
export interface ServerUnderTest {
	/** The envelope's `server`. */
	url: string;
}

const describeRequest = (request: ReceivedRequest) => `${request.path} ${String(request.json?.type)}`;

/**
 * Follows the receiver's requests step by step: each step must cause exactly the expected deliveries (in any order, as
 * jobs run concurrently) and nothing else on any path, checked after a settle period; each is checked against the
 * envelope and body schemas.
 */
export class DeliveryLedger {
	private seen = 0;
	private readonly validator = createSchemaValidator();

	constructor(private readonly receiver: TestReceiver, private readonly server: ServerUnderTest, private readonly settleMs: number) {}

	/** Waits for `expected`, settles, and returns the matching requests in the order of `expected`. */
	async expect(expected: readonly ExpectedDelivery[], timeoutMs = 10_000): Promise<ReceivedRequest[]> {
		if (expected.length > 0) {
			await this.receiver.waitForRequests(this.seen + expected.length, timeoutMs).catch(() => undefined);
		}
		await this.receiver.settle(this.settleMs);
		const arrived = this.receiver.requests.slice(this.seen);
		this.seen = this.receiver.requests.length;

		const unmatched = [...arrived];
		const matched = expected.map((delivery) => {
			const index = unmatched.findIndex((request) => request.path === delivery.hook.path && request.json?.type === delivery.type);
			assert.notEqual(index, -1, `missing ${delivery.hook.path} ${delivery.type}; arrived: [${arrived.map(describeRequest).join(', ')}]`);
			return unmatched.splice(index, 1)[0] as ReceivedRequest;
		});
		assert.deepEqual(unmatched.map(describeRequest), [], 'deliveries nobody expected');
		expected.forEach((delivery, i) => this.check(matched[i] as ReceivedRequest, delivery));
		return matched;
	}

	/** Asserts that nothing at all arrives during a settle period. */
	async expectNothing(): Promise<void> {
		await this.expect([]);
	}

	private check(request: ReceivedRequest, { hook, type }: ExpectedDelivery): void {
		const serverHost = new URL(this.server.url).host;
		assert.equal(request.method, 'POST');
		assert.equal(request.headers['x-misskey-hook-secret'], hook.secret);
		assert.equal(request.headers['x-misskey-hook-id'], hook.id);
		assert.equal(request.headers['x-misskey-host'], serverHost);
		assert.equal(request.headers['user-agent'], 'Misskey-Hooks');
		assert.match(String(request.headers['content-type']), /^application\/json/);
		this.validator.assert('UserWebhookEnvelope', request.json);
		assert.equal(request.json.server, this.server.url);
		assert.equal(request.json.hookId, hook.id);
		assert.equal(request.json.userId, hook.userId);
		assert.equal(request.json.type, type);
		this.validator.assert(eventBodySchemaName(type), request.json.body);
	}
}
