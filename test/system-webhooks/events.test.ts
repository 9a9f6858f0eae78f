import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../../src/config/options.js';
import type { SystemWebhookEventType } from '../../src/events/catalogue.js';
import type { PlanFailure } from '../../src/intake/event-planner.js';
import type { AbuseReportEvent } from '../../src/events/system-event-types.js';
import { SystemWebhookDelivery } from '../../src/delivery/system-webhook-delivery.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { InMemorySyncChannel } from '../../src/registry/in-memory-sync.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { PackingHost } from '../support/packing-host.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { quietLogger } from '../support/logger.js';
import { plannedEvents, type PlannedEvents } from '../support/planned-events.js';

const schemas = createSchemaValidator();

function deliveryOptions() {
	return normalizeOptions({
		serverUrl: 'https://system-events.test',
		redisUrl: testRedisUrl,
		retryDelaysMs: [5],
		allowedPrivateNetworks: testAllowedPrivateNetworks,
		queuePrefix: `system-events-test-${randomUUID()}`,
	});
}

describe('system events', () => {
	let dataSource: DataSource;
	let systemStore: SystemWebhookStore;
	let delivery: SystemWebhookDelivery;
	let receiver: TestReceiver;

	// Each test gets its own registry (system webhooks are instance-wide), adapter, failures and receiver paths.
	let prefix: string;
	let registry: WebhookRegistry;
	let host: PackingHost;
	let failures: PlanFailure[];
	let events: PlannedEvents;

	before(async () => {
		dataSource = await createMigratedDataSource();
		systemStore = new SystemWebhookStore(dataSource);
		receiver = await new TestReceiver().start();
		delivery = new SystemWebhookDelivery({ dataSource, options: deliveryOptions(), logger: quietLogger });
		await delivery.startWorker();
	});
	after(async () => {
		await delivery?.queue.obliterate({ force: true });
		await delivery?.close();
		await receiver?.close();
		await dataSource?.destroy();
	});
	beforeEach(async () => {
		prefix = `/p${randomUUID().slice(0, 8)}`;
		registry = await WebhookRegistry.startWithSync({ sync: new InMemorySyncChannel().connect(), loadActive: async () => [] });
		host = new PackingHost();
		failures = [];
		events = plannedEvents({ registry, host, system: delivery, failures });
	});
	afterEach(async () => {
		await registry.close();
		receiver.clear();
	});

	/** A system webhook delivering to `<prefix>/<name>`, announced to this test's registry. */
	async function hook(name: string, on: SystemWebhookEventType[], isActive = true) {
		const row = await systemStore.create({ isActive, name, on, url: receiver.url(`${prefix}/${name}`), secret: `${name}-secret` });
		await registry.announceSystem('systemWebhookCreated', row);
		return row;
	}

	/** Waits for `count` deliveries of this test, then a moment more so an extra one would show. */
	async function deliveries(count: number): Promise<ReceivedRequest[]> {
		const ofThisTest = () => receiver.requests.filter((request) => request.path.startsWith(prefix));
		const deadline = Date.now() + 5000;
		while (ofThisTest().length < count) {
			if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${ofThisTest().length}`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		await receiver.settle(150);
		return ofThisTest();
	}

	function checked(request: ReceivedRequest, type: SystemWebhookEventType): any {
		schemas.assert('SystemWebhookEnvelope', request.json);
		assert.ok(!('userId' in request.json), 'a system envelope has no userId');
		assert.equal(request.json.type, type);
		schemas.assert(eventBodySchemaName(type), request.json.body);
		return request.json.body;
	}

	function report(overrides: Partial<AbuseReportEvent> = {}): AbuseReportEvent {
		return {
			id: 'report1',
			targetUserId: 'target',
			targetUserHost: null,
			reporterId: 'reporter',
			reporterHost: null,
			assigneeId: null,
			resolved: false,
			forwarded: false,
			comment: 'spam',
			resolvedAs: null,
			...overrides,
		};
	}

	it('abuseReport goes to every active system webhook subscribed to it, and to no other', async () => {
		host.addUser('target');
		host.addUser('reporter');
		await hook('first', ['abuseReport']);
		await hook('second', ['userCreated', 'abuseReport']);
		await hook('inactive', ['abuseReport'], false);
		await hook('resolvedOnly', ['abuseReportResolved']);
		await events.abuseReport(report());
		const requests = await deliveries(2);
		assert.deepEqual(requests.map((r) => r.path).sort(), [`${prefix}/first`, `${prefix}/second`]);
		assert.deepEqual(failures, []);
		for (const request of requests) checked(request, 'abuseReport');
		assert.notEqual(requests[0].json.eventId, requests[1].json.eventId, 'each webhook gets its own eventId');
	});

	it('the abuseReport body is the report with targetUser and reporter packed as UserLite, assignee null, moderationNote defaulting to ""', async () => {
		host.addUser('target');
		host.addUser('reporter', 'remote.example');
		await hook('only', ['abuseReport']);
		await events.abuseReport(report({ reporterHost: 'remote.example', forwarded: true }));
		const [request] = await deliveries(1);
		const body = checked(request, 'abuseReport');
		assert.deepEqual(body, {
			id: 'report1',
			targetUserId: 'target',
			targetUser: await host.packUserLite('target'),
			reporterId: 'reporter',
			reporter: await host.packUserLite('reporter'),
			assigneeId: null,
			assignee: null,
			resolved: false,
			forwarded: true,
			comment: 'spam',
			targetUserHost: null,
			reporterHost: 'remote.example',
			resolvedAs: null,
			moderationNote: '',
		});
		// Receivers that compare bytes see Misskey's order: the report entity's fields as declared, the users in place.
		assert.deepEqual(Object.keys(JSON.parse(request.rawBody).body), [
			'id', 'targetUserId', 'targetUser', 'reporterId', 'reporter', 'assigneeId', 'assignee',
			'resolved', 'forwarded', 'comment', 'moderationNote', 'resolvedAs', 'targetUserHost', 'reporterHost',
		]);
	});

	it('abuseReportResolved carries the assignee packed and resolvedAs, and goes only to its subscribers', async () => {
		for (const id of ['target', 'reporter', 'moderator']) host.addUser(id);
		await hook('resolved', ['abuseReportResolved']);
		await hook('filed', ['abuseReport']);
		await events.abuseReportResolved(report({ resolved: true, assigneeId: 'moderator', resolvedAs: 'accept', moderationNote: 'handled' }));
		const [request] = await deliveries(1);
		assert.equal(request.path, `${prefix}/resolved`);
		const body = checked(request, 'abuseReportResolved');
		assert.deepEqual(body.assignee, await host.packUserLite('moderator'));
		assert.equal(body.assigneeId, 'moderator');
		assert.equal(body.resolved, true);
		assert.equal(body.resolvedAs, 'accept');
		assert.equal(body.moderationNote, 'handled');
	});

	it('a user gone for good becomes null in the report, the report still goes out, and the failure is reported', async () => {
		host.addUser('reporter');
		host.goneWhen = (call) => call.method === 'packUserLite' && call.userId === 'vanished';
		await hook('only', ['abuseReport']);
		await events.abuseReport(report({ targetUserId: 'vanished' }));
		const [request] = await deliveries(1);
		const body = checked(request, 'abuseReport');
		assert.equal(body.targetUser, null);
		assert.equal(body.targetUserId, 'vanished');
		assert.deepEqual(failures.map((f) => [f.event, f.stage]), [['abuseReport', 'packing']]);
	});

	it('userCreated sends the new user as UserLite, not wrapped in { user }', async () => {
		host.addUser('newcomer');
		await hook('signups', ['userCreated']);
		await events.userCreated({ id: 'newcomer' });
		const [request] = await deliveries(1);
		const body = checked(request, 'userCreated');
		assert.deepEqual(body, await host.packUserLite('newcomer'));
		assert.ok(!('user' in body));
	});

	it('a userCreated whose user cannot be packed sends nothing and is reported', async () => {
		await hook('signups', ['userCreated']);
		await events.userCreated({ id: 'ghost' });
		assert.deepEqual(await deliveries(0), []);
		assert.deepEqual(failures.map((f) => [f.event, 'type' in f ? f.type : null, f.stage]), [['userCreated', 'userCreated', 'packing']]);
	});

	it('inactiveModeratorsWarning sends { remainingTime: { time, asHours, asDays } }, in that order, and nothing else', async () => {
		await hook('warnings', ['inactiveModeratorsWarning']);
		const remainingTime = { time: 172_800_000, asDays: 2, asHours: 48 };
		await events.inactiveModeratorsWarning({ remainingTime: { ...remainingTime, extra: 'dropped' } as typeof remainingTime });
		const [request] = await deliveries(1);
		assert.deepEqual(checked(request, 'inactiveModeratorsWarning'), { remainingTime });
		assert.match(request.rawBody, /"body":\{"remainingTime":\{"time":172800000,"asHours":48,"asDays":2\}\}/);
	});

	it('inactiveModeratorsInvitationOnlyChanged sends {}', async () => {
		await hook('invitations', ['inactiveModeratorsInvitationOnlyChanged']);
		await events.inactiveModeratorsInvitationOnlyChanged();
		const [request] = await deliveries(1);
		assert.deepEqual(checked(request, 'inactiveModeratorsInvitationOnlyChanged'), {});
	});

	it('an event no active system webhook wants packs nothing and sends nothing', async () => {
		host.addUser('target');
		host.addUser('reporter');
		await hook('inactive', ['abuseReport', 'userCreated'], false);
		await events.abuseReport(report());
		await events.userCreated({ id: 'target' });
		assert.deepEqual(await deliveries(0), []);
		assert.deepEqual(host.calls, []);
		assert.deepEqual(failures, []);
	});

	it('a webhook deactivated after creation no longer receives', async () => {
		const row = await hook('paused', ['inactiveModeratorsInvitationOnlyChanged']);
		await registry.announceSystem('systemWebhookUpdated', { ...row, isActive: false });
		await events.inactiveModeratorsInvitationOnlyChanged();
		assert.deepEqual(await deliveries(0), []);
	});

	/** The test's events over a host that leaves `excluded()` out of abuse events, counting how often it is asked. */
	function withExclusions(excluded: () => Promise<readonly string[]>) {
		const asked = { count: 0 };
		const excluding: PackingHost = Object.create(host, {
			systemWebhookIdsExcludedFromAbuseReports: {
				value: () => {
					asked.count++;
					return excluded();
				},
			},
		});
		return { events: plannedEvents({ registry, host: excluding, system: delivery, failures }), asked };
	}

	it('abuseReport and abuseReportResolved skip the system webhooks the host excludes; the other subscribers get them', async () => {
		for (const id of ['target', 'reporter', 'moderator']) host.addUser(id);
		const left = await hook('left', ['abuseReport', 'abuseReportResolved']);
		await hook('kept', ['abuseReport', 'abuseReportResolved']);
		const { events: excluding, asked } = withExclusions(async () => [left.id, 'no-such-webhook']);
		await excluding.abuseReport(report());
		await excluding.abuseReportResolved(report({ resolved: true, assigneeId: 'moderator', resolvedAs: 'reject' }));
		const requests = await deliveries(2);
		assert.deepEqual(requests.map((r) => `${r.path} ${r.json.type}`).sort(), [`${prefix}/kept abuseReport`, `${prefix}/kept abuseReportResolved`]);
		assert.equal(asked.count, 2, 'asked once per event');
		assert.deepEqual(failures, []);
	});

	it('the exclusions bind abuse events only: every other system event still reaches an excluded webhook, without asking', async () => {
		host.addUser('newcomer');
		const left = await hook('left', ['userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged']);
		const { events: excluding, asked } = withExclusions(async () => [left.id]);
		await excluding.userCreated({ id: 'newcomer' });
		await excluding.inactiveModeratorsWarning({ remainingTime: { time: 3_600_000, asHours: 1, asDays: 0 } });
		await excluding.inactiveModeratorsInvitationOnlyChanged();
		const requests = await deliveries(3);
		assert.deepEqual(requests.map((r) => r.json.type).sort(), ['inactiveModeratorsInvitationOnlyChanged', 'inactiveModeratorsWarning', 'userCreated']);
		assert.equal(asked.count, 0);
	});

	it('the host is asked only when some active system webhook wants the abuse event; excluding every subscriber packs nothing', async () => {
		const left = await hook('left', ['abuseReport']);
		await hook('other', ['userCreated']);
		const { events: excluding, asked } = withExclusions(async () => [left.id]);
		await excluding.abuseReportResolved(report({ resolved: true }));
		assert.equal(asked.count, 0, 'no webhook wants abuseReportResolved');
		await excluding.abuseReport(report());
		assert.equal(asked.count, 1);
		assert.deepEqual(await deliveries(0), []);
		assert.deepEqual(host.calls, [], 'no user packed for an event nobody gets');
	});

	it('a host that cannot name its exclusions: the abuse event is reported at stage exclusions and sent to no one', async () => {
		host.addUser('target');
		host.addUser('reporter');
		await hook('kept', ['abuseReport']);
		const { events: excluding } = withExclusions(async () => { throw new Error('recipients unreadable'); });
		await excluding.abuseReport(report());
		assert.deepEqual(await deliveries(0), []);
		assert.deepEqual(failures.map((f) => [f.event, 'type' in f ? f.type : null, f.stage, (f.error as Error).message]), [['abuseReport', 'abuseReport', 'exclusions', 'recipients unreadable']]);
	});

});
