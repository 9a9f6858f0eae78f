import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../../src/config/options.js';
import type { UserWebhookEventType } from '../../src/events/catalogue.js';
import type { PlanFailure } from '../../src/intake/event-planner.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { PackingHost } from '../support/packing-host.js';
import { plannedEvents, type PlannedEvents } from '../support/planned-events.js';

const schemas = createSchemaValidator();
const REMOTE = 'remote.example';

describe('user events, planned and delivered', () => {
	let dataSource: DataSource;
	let store: WebhookStore;
	let registry: WebhookRegistry;
	let delivery: UserWebhookDelivery;
	let receiver: TestReceiver;

	// Each test gets fresh users (a unique prefix), its own adapter and its own failure list.
	let prefix: string;
	let host: PackingHost;
	let failures: PlanFailure[];
	let events: PlannedEvents;

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
		receiver = await new TestReceiver().start();
		registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel: `events-test-${randomUUID()}` });
		delivery = new UserWebhookDelivery({
			dataSource,
			options: normalizeOptions({
				serverUrl: 'https://events.test',
				redisUrl: testRedisUrl,
				retryDelaysMs: [5, 5, 5],
				allowedPrivateNetworks: testAllowedPrivateNetworks,
				queuePrefix: `events-test-${randomUUID()}`,
			}),
		});
		await delivery.startWorker();
	});

	after(async () => {
		await delivery?.close();
		await registry?.close();
		await receiver?.close();
		await dataSource?.destroy();
	});

	beforeEach(() => {
		prefix = `u${randomUUID().replaceAll('-', '').slice(0, 12)}`;
		host = new PackingHost();
		failures = [];
		events = plannedEvents({ registry, host, user: delivery, failures });
		receiver.clear();
	});

	/** A local (or remote) user of this test. */
	function user(name: string, userHost: string | null = null) {
		return host.addUser(`${prefix}${name}`, userHost);
	}

	/** Gives `owner` an active webhook for `on`, delivering to a path named after the owner. */
	async function subscribe(owner: { id: string }, on: UserWebhookEventType[]): Promise<void> {
		const row = await store.create({ userId: owner.id, name: 'test', url: receiver.url(`/${owner.id}`), secret: 's3cret', on });
		await registry.announce('webhookCreated', row);
	}

	function ofThisTest(): ReceivedRequest[] {
		return receiver.requests.filter((request) => request.path.startsWith(`/${prefix}`));
	}

	async function deliveries(count: number): Promise<ReceivedRequest[]> {
		const deadline = Date.now() + 5000;
		while (ofThisTest().length < count) {
			if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${ofThisTest().length}`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		// Anything beyond the expected count would be a wrong extra delivery; give it a moment to show up.
		await receiver.settle(100);
		return ofThisTest();
	}

	/** The delivery of `type` to `ownerId`, its body checked against that type's schema. */
	function bodyOf(requests: ReceivedRequest[], ownerId: string, type: UserWebhookEventType): any {
		const found = requests.filter((r) => r.json.userId === ownerId && r.json.type === type);
		assert.equal(found.length, 1, `one ${type} delivery to ${ownerId}`);
		schemas.assert(eventBodySchemaName(type), found[0]!.json.body);
		return found[0]!.json.body;
	}

	it('a note delivers note, mention, reply and renote, each with a valid body', async () => {
		const author = user('author');
		const replied = user('replied');
		const quoted = user('quoted');
		const mentioned = user('mentioned');
		for (const [owner, on] of [[author, ['note']], [replied, ['reply']], [quoted, ['renote']], [mentioned, ['mention']]] as const) {
			await subscribe(owner, [...on]);
		}
		host.addNote({ id: `${prefix}root`, userId: replied.id, text: 'root' });
		host.addNote({ id: `${prefix}quoted`, userId: quoted.id, text: 'quoted' });
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi', replyId: `${prefix}root`, renoteId: `${prefix}quoted` });

		await events.noteCreated({
			note: {
				id: `${prefix}new`, userId: author.id, threadId: `${prefix}root`,
				reply: { id: `${prefix}root`, user: replied }, renote: { id: `${prefix}quoted`, user: quoted }, mentionedUsers: [mentioned, mentioned],
			},
		});

		const requests = await deliveries(4);
		assert.equal(requests.length, 4);
		const note = bodyOf(requests, author.id, 'note');
		assert.equal(note.note.id, `${prefix}new`);
		assert.equal(note.note.reply.id, `${prefix}root`);
		assert.equal(note.note.renote.id, `${prefix}quoted`);
		assert.deepEqual(bodyOf(requests, replied.id, 'reply'), note);
		assert.deepEqual(bodyOf(requests, quoted.id, 'renote'), note);
		assert.equal(bodyOf(requests, mentioned.id, 'mention').note.id, `${prefix}new`);
		assert.deepEqual(host.callsOf('packNote').map((c) => c.viewerId).sort(), [mentioned.id, null].sort());
		assert.deepEqual(host.callsOf('isThreadMuted'), [
			{ method: 'isThreadMuted', userId: mentioned.id, threadId: `${prefix}root` },
			{ method: 'isThreadMuted', userId: replied.id, threadId: `${prefix}root` },
		]);
		assert.deepEqual(failures, []);
	});

	it('a note the host has already packed is sent as given to note, reply and renote; only mentions are packed', async () => {
		const author = user('author');
		const replied = user('replied');
		const mentioned = user('mentioned');
		await subscribe(author, ['note']);
		await subscribe(replied, ['reply']);
		await subscribe(mentioned, ['mention']);
		host.addNote({ id: `${prefix}root`, userId: replied.id, text: 'root' });
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi', replyId: `${prefix}root` });
		// What the host packed for its own use (Misskey streams it), marked so the test sees which object is sent.
		const packedNote = { ...await host.packNote(`${prefix}new`, null), text: 'as the host packed it' };
		host.calls.splice(0);

		await events.noteCreated({
			note: { id: `${prefix}new`, userId: author.id, threadId: `${prefix}root`, reply: { id: `${prefix}root`, user: replied }, mentionedUsers: [mentioned] },
			packedNote,
		});

		const requests = await deliveries(3);
		assert.deepEqual(bodyOf(requests, author.id, 'note'), { note: packedNote });
		assert.deepEqual(bodyOf(requests, replied.id, 'reply'), { note: packedNote });
		assert.equal(bodyOf(requests, mentioned.id, 'mention').note.text, 'hi', "packed from the mentioned user's view");
		assert.deepEqual(host.callsOf('packNote').map((c) => c.viewerId), [mentioned.id], 'the note is not packed again for no viewer');
		assert.deepEqual(failures, []);
	});

	it('a muted thread suppresses reply and mention but not note', async () => {
		const author = user('author');
		const replied = user('replied');
		await subscribe(author, ['note']);
		await subscribe(replied, ['reply', 'mention']);
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi' });
		host.muteThread(replied.id, `${prefix}root`);

		await events.noteCreated({
			note: { id: `${prefix}new`, userId: author.id, threadId: `${prefix}root`, reply: { id: `${prefix}root`, user: replied }, mentionedUsers: [replied] },
		});

		const requests = await deliveries(1);
		assert.deepEqual(requests.map((r) => [r.json.userId, r.json.type]), [[author.id, 'note']]);
	});

	it('a user without webhooks costs no packing call and no muting query', async () => {
		const author = user('author');
		const replied = user('replied');
		const quoted = user('quoted');
		const mentioned = user('mentioned');
		const other = user('other');
		await subscribe(other, ['note', 'reply', 'mention', 'renote', 'follow', 'followed', 'unfollow', 'reaction']);
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi' });

		await events.noteCreated({
			note: { id: `${prefix}new`, userId: author.id, reply: { id: 'r', user: replied }, renote: { id: 'q', user: quoted }, mentionedUsers: [mentioned] },
		});
		await events.followCreated({ follower: author, followee: replied });
		await events.followDeleted({ follower: author, followee: replied, initiatedBy: 'followee' });
		await events.followRequestRejected({ follower: author, followee: replied });
		await events.reactionCreated({ note: { id: `${prefix}new`, user: author }, user: replied, reaction: '👍' });

		assert.deepEqual(host.calls, []);
		assert.deepEqual(await receiver.settle(150).then(ofThisTest), []);
	});

	it('a silent note delivers nothing and packs nothing, even to subscribed users', async () => {
		const author = user('author');
		const mentioned = user('mentioned');
		await subscribe(author, ['note']);
		await subscribe(mentioned, ['mention']);

		await events.noteCreated({ note: { id: `${prefix}new`, userId: author.id, mentionedUsers: [mentioned] }, silent: true });

		assert.deepEqual(host.calls, []);
		assert.deepEqual(await receiver.settle(150).then(ofThisTest), []);
	});

	it('a follow delivers follow (the followee from the follower\'s view) and followed (the follower as UserLite)', async () => {
		const follower = user('follower');
		const followee = user('followee');
		await subscribe(follower, ['follow']);
		await subscribe(followee, ['followed']);

		await events.followCreated({ follower, followee });

		const requests = await deliveries(2);
		const follow = bodyOf(requests, follower.id, 'follow');
		assert.equal(follow.user.id, followee.id);
		assert.equal(typeof follow.user.isFollowing, 'boolean', 'relationship fields show a viewer');
		const followed = bodyOf(requests, followee.id, 'followed');
		assert.equal(followed.user.id, follower.id);
		assert.equal('followersCount' in followed.user, false, 'UserLite, not detailed');
		assert.deepEqual(host.callsOf('packUserDetailed'), [{ method: 'packUserDetailed', userId: followee.id, viewerId: follower.id }]);
	});

	it('a silent follow still delivers followed but not follow', async () => {
		const follower = user('follower');
		const followee = user('followee');
		await subscribe(follower, ['follow']);
		await subscribe(followee, ['followed']);

		await events.followCreated({ follower, followee, silent: true });

		const requests = await deliveries(1);
		assert.deepEqual(requests.map((r) => [r.json.userId, r.json.type]), [[followee.id, 'followed']]);
	});

	it('unfollowing, removal by the followee and a rejected request each deliver unfollow with the followee', async () => {
		const follower = user('follower');
		const followee = user('followee');
		const remoteFollowee = user('remote', REMOTE);
		await subscribe(follower, ['unfollow']);

		await events.followDeleted({ follower, followee, initiatedBy: 'follower' });
		await events.followDeleted({ follower, followee: remoteFollowee, initiatedBy: 'followee', silent: true });
		await events.followRequestRejected({ follower, followee, silent: true });
		await events.followDeleted({ follower, followee, initiatedBy: 'follower', silent: true });

		const requests = await deliveries(3);
		assert.equal(requests.length, 3);
		for (const request of requests) {
			assert.equal(request.json.type, 'unfollow');
			schemas.assert('UnfollowWebhookBody', request.json.body);
		}
		assert.deepEqual(requests.map((r) => r.json.body.user.id).sort(), [followee.id, followee.id, remoteFollowee.id].sort());
	});

	it('a reaction delivers reaction with the note, the reaction and the reacting user', async () => {
		const author = user('author');
		const reactor = user('reactor', REMOTE);
		await subscribe(author, ['reaction']);
		host.addNote({ id: `${prefix}note`, userId: author.id, text: 'hi' });

		await events.reactionCreated({ note: { id: `${prefix}note`, user: author }, user: reactor, reaction: ':blobcat@remote.example:' });
		await events.reactionCreated({ note: { id: `${prefix}note`, user: author }, user: author, reaction: '👍' });

		const requests = await deliveries(1);
		const body = bodyOf(requests, author.id, 'reaction');
		assert.equal(body.note.id, `${prefix}note`);
		assert.equal(body.reaction, ':blobcat@remote.example:');
		assert.equal(body.user.id, reactor.id);
		assert.equal(requests.length, 1, 'reacting to your own note delivers nothing');
	});

	it('a packer failing for a passing reason holds the whole event back, naming the recipient', async () => {
		const author = user('author');
		const broken = user('broken');
		const fine = user('fine');
		await subscribe(broken, ['mention']);
		await subscribe(fine, ['mention']);
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi' });
		host.failWhen = (call) => call.method === 'packNote' && call.viewerId === broken.id;

		await events.noteCreated({ note: { id: `${prefix}new`, userId: author.id, mentionedUsers: [broken, fine] } });

		assert.deepEqual(await deliveries(0), []);
		assert.deepEqual(failures.map(({ event, stage, ...rest }) => [event, stage, 'ownerId' in rest ? rest.ownerId : null]), [['noteCreated', 'packing', broken.id]]);
	});

	it('a body gone for good (EntityGoneError) drops only that recipient; the others get theirs', async () => {
		const author = user('author');
		const broken = user('broken');
		const fine = user('fine');
		await subscribe(broken, ['mention']);
		await subscribe(fine, ['mention']);
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi' });
		host.goneWhen = (call) => call.method === 'packNote' && call.viewerId === broken.id;

		await events.noteCreated({ note: { id: `${prefix}new`, userId: author.id, mentionedUsers: [broken, fine] } });

		const requests = await deliveries(1);
		assert.deepEqual(requests.map((r) => [r.json.userId, r.json.type]), [[fine.id, 'mention']]);
		assert.deepEqual(failures.map((f) => [f.stage, 'ownerId' in f ? f.ownerId : null]), [['packing', broken.id]]);
	});

	it('a failing muting query holds the event back, and is reported for that user', async () => {
		const author = user('author');
		const broken = user('broken');
		const fine = user('fine');
		await subscribe(broken, ['mention']);
		await subscribe(fine, ['mention']);
		host.addNote({ id: `${prefix}new`, userId: author.id, text: 'hi' });
		host.failWhen = (call) => call.method === 'isThreadMuted' && call.userId === broken.id;

		await events.noteCreated({ note: { id: `${prefix}new`, userId: author.id, mentionedUsers: [broken, fine] } });

		assert.deepEqual(await deliveries(0), []);
		assert.deepEqual(failures.map((f) => [f.stage, 'ownerId' in f ? f.ownerId : null]), [['threadMuting', broken.id]]);
	});

	it('a malformed event plans nothing and is reported instead of throwing', async () => {
		await events.followCreated({ follower: null, followee: null } as never);
		assert.deepEqual(failures.map((f) => [f.event, f.stage]), [['followCreated', 'event']]);
	});
});
