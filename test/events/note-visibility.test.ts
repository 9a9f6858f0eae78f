import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../../src/config/options.js';
import type { UserWebhookEventType } from '../../src/events/catalogue.js';
import { webhooksWantingEvent, type NoteFilterColumns, type NoteVisibility } from '../../src/events/note-visibility.js';
import type { UserRef } from '../../src/host.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { WebhookStore, type WebhookDeliveryOptions } from '../../src/store/webhook-store.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { PackingHost } from '../support/packing-host.js';
import { TestReceiver } from '../support/receiver.js';
import { quietLogger } from '../support/logger.js';
import { plannedEvents, type PlannedEvents } from '../support/planned-events.js';
import type { PlanFailure } from '../../src/intake/event-planner.js';

type Filters = Partial<NoteFilterColumns>;
const hookWith = (name: string, filters: Filters = {}) => ({ name, excludeSpecifiedNotes: false, excludeFollowersNotes: false, ...filters });

describe('note visibility filters', () => {
	describe('the rule', () => {
		const plain = hookWith('plain');
		const noDirect = hookWith('noDirect', { excludeSpecifiedNotes: true });
		const noFollowers = hookWith('noFollowers', { excludeFollowersNotes: true });
		const neither = hookWith('neither', { excludeSpecifiedNotes: true, excludeFollowersNotes: true });
		const all = [plain, noDirect, noFollowers, neither];
		const names = (type: UserWebhookEventType, visibility: NoteVisibility | undefined) => webhooksWantingEvent(all, type, visibility).map((hook) => hook.name);

		const cases: Array<[NoteVisibility | undefined, string[]]> = [
			['public', ['plain', 'noDirect', 'noFollowers', 'neither']],
			['home', ['plain', 'noDirect', 'noFollowers', 'neither']],
			['followers', ['plain', 'noDirect']],
			['specified', ['plain', 'noFollowers']],
			[undefined, ['plain', 'noDirect', 'noFollowers', 'neither']],
		];
		for (const [visibility, expected] of cases) {
			it(`a ${visibility ?? 'visibility-less'} note event goes to ${expected.join(', ')}`, () => {
				assert.deepEqual(names('note', visibility), expected);
			});
		}

		for (const [visibility, expected] of cases) {
			it(`a ${visibility ?? 'visibility-less'} noteEdited event goes to the same webhooks as note: ${expected.join(', ')}`, () => {
				assert.deepEqual(names('noteEdited', visibility), expected);
			});
		}

		for (const type of ['reply', 'mention', 'renote', 'noteDeleted'] as const) {
			it(`${type} events ignore the filters, whatever the visibility`, () => {
				assert.deepEqual(names(type, 'specified'), names(type, 'public'));
				assert.deepEqual(names(type, 'followers'), names(type, 'public'));
			});
		}

		it('hands back the very list when nothing is left out', () => {
			const unfiltered = [plain];
			assert.equal(webhooksWantingEvent(unfiltered, 'note', 'specified'), unfiltered);
		});
	});

	describe('user events, end to end (real registry, queue and receiver)', () => {
		let dataSource: DataSource;
		let store: WebhookStore;
		let registry: WebhookRegistry;
		let delivery: UserWebhookDelivery;
		let receiver: TestReceiver;
		let host: PackingHost;
		let events: PlannedEvents;
		let failures: PlanFailure[];
		let prefix: string;

		before(async () => {
			dataSource = await createMigratedDataSource();
			store = new WebhookStore(dataSource);
			receiver = await new TestReceiver().start();
			registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel: `note-visibility-${randomUUID()}` });
			delivery = new UserWebhookDelivery({
				dataSource,
				options: normalizeOptions({
					serverUrl: 'https://events.test',
					redisUrl: testRedisUrl,
					retryDelaysMs: [5],
					allowedPrivateNetworks: testAllowedPrivateNetworks,
					queuePrefix: `note-visibility-${randomUUID()}`,
				}),
				logger: quietLogger,
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
			prefix = `v${randomUUID().replaceAll('-', '').slice(0, 12)}`;
			host = new PackingHost();
			failures = [];
			events = plannedEvents({ registry, host, user: delivery, failures });
			receiver.clear();
		});

		afterEach(() => assert.deepEqual(failures, [], 'no event failed'));

		const user = (name: string): UserRef => host.addUser(`${prefix}${name}`);

		/** An active webhook of `owner` for `on`, delivering to a path named after the webhook. */
		async function subscribe(owner: UserRef, name: string, on: UserWebhookEventType[], options: WebhookDeliveryOptions = {}): Promise<void> {
			const row = await store.create({ userId: owner.id, name, url: receiver.url(`/${prefix}/${name}`), secret: '', on, ...options });
			await registry.announce('webhookCreated', row);
		}

		/** Which webhooks (by name) got which event type, once the deliveries have settled. */
		async function delivered(count: number): Promise<string[]> {
			const mine = () => receiver.requests.filter((request) => request.path.startsWith(`/${prefix}/`));
			const deadline = Date.now() + 5000;
			while (mine().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
			// A delivery beyond the expected ones would be a filter that failed; give it a moment to show up.
			await receiver.settle(150);
			return mine().map((request) => `${request.path.slice(prefix.length + 2)} ${request.json.type}`).sort();
		}

		async function post(author: UserRef, visibility: NoteVisibility, extra: { reply?: UserRef; mentioned?: UserRef[] } = {}): Promise<void> {
			const id = `${prefix}n${randomUUID().slice(0, 6)}`;
			if (extra.reply) host.addNote({ id: `${id}r`, userId: extra.reply.id, text: 'root', visibility });
			host.addNote({ id, userId: author.id, text: 'hi', visibility, replyId: extra.reply ? `${id}r` : null });
			await events.noteCreated({
				note: {
					id, userId: author.id, visibility,
					threadId: extra.reply ? `${id}r` : null,
					reply: extra.reply ? { id: `${id}r`, user: extra.reply } : null,
					mentionedUsers: extra.mentioned ?? [],
				},
			});
		}

		it('a specified note reaches a webhook without the filter and not one with it', async () => {
			const author = user('author');
			await subscribe(author, 'all', ['note']);
			await subscribe(author, 'noDirect', ['note'], { excludeSpecifiedNotes: true });
			await subscribe(author, 'noFollowers', ['note'], { excludeFollowersNotes: true });
			await post(author, 'specified');
			assert.deepEqual(await delivered(2), ['all note', 'noFollowers note']);
		});

		it('a followers-only note reaches a webhook without the filter and not one with it', async () => {
			const author = user('author');
			await subscribe(author, 'all', ['note']);
			await subscribe(author, 'noDirect', ['note'], { excludeSpecifiedNotes: true });
			await subscribe(author, 'noFollowers', ['note'], { excludeFollowersNotes: true });
			await post(author, 'followers');
			assert.deepEqual(await delivered(2), ['all note', 'noDirect note']);
		});

		it('a public note reaches every webhook, filters or not', async () => {
			const author = user('author');
			await subscribe(author, 'all', ['note']);
			await subscribe(author, 'neither', ['note'], { excludeSpecifiedNotes: true, excludeFollowersNotes: true });
			await post(author, 'public');
			assert.deepEqual(await delivered(2), ['all note', 'neither note']);
		});

		it('reply and mention of a specified note still arrive at webhooks that filter specified notes from note events', async () => {
			const author = user('author');
			const replied = user('replied');
			const mentioned = user('mentioned');
			const filters = { excludeSpecifiedNotes: true, excludeFollowersNotes: true };
			await subscribe(author, 'authorNote', ['note'], filters);
			await subscribe(replied, 'replied', ['reply', 'note'], filters);
			await subscribe(mentioned, 'mentioned', ['mention'], filters);
			await post(author, 'specified', { reply: replied, mentioned: [mentioned] });
			assert.deepEqual(await delivered(2), ['mentioned mention', 'replied reply']);
		});

		it('a filtered note is not even packed when no webhook wants it', async () => {
			const author = user('author');
			await subscribe(author, 'noDirect', ['note'], { excludeSpecifiedNotes: true });
			await post(author, 'specified');
			assert.deepEqual(await delivered(0), []);
			assert.deepEqual(host.callsOf('packNote'), []);
		});
	});
});
