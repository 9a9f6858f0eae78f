import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createWebhookModule, EntityGoneError, type AbuseReportEvent, type WebhookModule } from '../../src/index.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { PackingHost } from '../support/packing-host.js';
import { TestReceiver } from '../support/receiver.js';
import { CapturingLogger } from '../support/logger.js';
import { eventually } from '../support/eventually.js';

/** A packing host that leaves `excluded` out of abuse events, and cannot answer which for its next `unreachableCalls` calls. */
class ExcludingHost extends PackingHost {
	excluded: string[] = [];
	unreachableCalls = 0;
	asked = 0;

	async systemWebhookIdsExcludedFromAbuseReports(): Promise<readonly string[]> {
		this.asked++;
		if (this.unreachableCalls > 0) {
			this.unreachableCalls--;
			// An EntityGoneError, which drops a note's delivery for good, must not drop an abuse report: it waits all the same.
			throw new EntityGoneError('relation "abuse_report_notification_recipient" does not exist');
		}
		return this.excluded;
	}
}

describe('abuse events and the system webhooks the host leaves out of them, through the intake', () => {
	let dataSource: DataSource;
	let receiver: TestReceiver;
	let host: ExcludingHost;
	let webhooks: WebhookModule;
	const queuePrefix = `mw-test-exclusions-${randomBytes(6).toString('hex')}`;
	const report: AbuseReportEvent = {
		id: 'report1', targetUserId: 'target', targetUserHost: null, reporterId: 'reporter', reporterHost: null,
		assigneeId: null, resolved: false, forwarded: false, comment: 'spam', resolvedAs: null,
	};

	before(async () => {
		dataSource = await createMigratedDataSource();
		receiver = await new TestReceiver().start();
		host = new ExcludingHost();
		host.addUser('target');
		host.addUser('reporter');
		const store = new SystemWebhookStore(dataSource);
		const on = ['abuseReport', 'abuseReportResolved', 'userCreated'] as const;
		const left = await store.create({ isActive: true, name: 'left', on: [...on], url: receiver.url('/left'), secret: 'left-secret' });
		await store.create({ isActive: true, name: 'kept', on: [...on], url: receiver.url('/kept'), secret: 'kept-secret' });
		host.excluded = [left.id];
		// Created after the rows, so its registry loads both at start.
		webhooks = await createWebhookModule({
			dataSource, host, serverUrl: 'https://exclusions.test', redisUrl: testRedisUrl, queuePrefix,
			retryDelaysMs: [20], allowedPrivateNetworks: testAllowedPrivateNetworks, intakePollIntervalMs: 200, logger: new CapturingLogger(),
		});
		await webhooks.startWorkers();
	});
	afterEach(() => {
		receiver.clear();
		host.unreachableCalls = 0;
	});
	after(async () => {
		await webhooks?.close();
		await receiver?.close();
		await dataSource?.query(`DELETE FROM "system_webhook"`);
		await dataSource?.destroy();
		const redis = new Redis(testRedisUrl);
		try {
			const keys = await redis.keys(`${queuePrefix}:*`);
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
	});

	const intakeRows = async (): Promise<Array<{ event: string; attempts: number; lastError: string | null }>> => dataSource.query(`SELECT "event", "attempts", "lastError" FROM "webhook_event_intake"`);
	const delivered = () => receiver.requests.map((request) => `${request.path} ${request.json.type}`).sort();

	it('raised in the host\'s transaction, the abuse events are planned after commit without the excluded webhook; userCreated is not affected', async () => {
		await dataSource.transaction(async (manager) => {
			await webhooks.events.abuseReport(report, { transaction: manager });
			await webhooks.events.abuseReportResolved({ ...report, resolved: true, resolvedAs: 'accept' }, { transaction: manager });
			await webhooks.events.userCreated({ id: 'target' }, { transaction: manager });
			assert.equal(host.asked, 0, 'nothing is asked inside the host\'s transaction');
		});
		await receiver.waitForRequests(4, 10_000);
		await receiver.settle(300);
		assert.deepEqual(delivered(), ['/kept abuseReport', '/kept abuseReportResolved', '/kept userCreated', '/left userCreated']);
	});

	it('an abuse event whose exclusions the host cannot name waits in the intake, whatever the error, and then skips the excluded webhook', async () => {
		host.unreachableCalls = 2;
		await dataSource.transaction((manager) => webhooks.events.abuseReport(report, { transaction: manager }));
		const [waiting] = await eventually(intakeRows, (rows) => rows[0]?.attempts >= 1, 15_000, 'a first failed try recorded');
		assert.match(waiting.lastError ?? '', /exclusions failed \(abuseReport\): NotFound/);
		await receiver.waitForRequests(1, 15_000);
		await eventually(intakeRows, (rows) => rows.length === 0, 15_000, 'the intake emptied');
		await receiver.settle(300);
		assert.deepEqual(delivered(), ['/kept abuseReport']);
	});

	it('without a transaction too: the event is parked in the intake and delivered, to the kept webhook only, once the host answers', async () => {
		host.unreachableCalls = 1;
		await webhooks.events.abuseReportResolved({ ...report, resolved: true });
		await receiver.waitForRequests(1, 15_000);
		await receiver.settle(300);
		assert.deepEqual(delivered(), ['/kept abuseReportResolved']);
		assert.deepEqual(await intakeRows(), []);
	});
});
