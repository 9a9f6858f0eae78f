import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { AutoDisableFixture, attempt, delivered, exhausted, gone, HOUR_MS, unavailable, WINDOW_MS } from './auto-disable-fixture.js';
import { generateId } from '../../src/store/id.js';

describe('auto-disable recorder: user webhooks (Svix auto-disable)', () => {
	let f: AutoDisableFixture;

	before(async () => {
		f = await AutoDisableFixture.start();
	});
	beforeEach(async () => {
		await f.begin();
	});
	afterEach(async () => {
		await f.end();
		assert.deepEqual(f.logger.lines.filter((line) => !line.startsWith('webhook paused automatically')), [], 'nothing went wrong');
	});
	after(async () => {
		await f.close();
	});

	describe('the failure streak (failingSince)', () => {
		it('a failed attempt starts the streak at its start time', async () => {
			const hook = await f.newHook();
			const startedAt = new Date('2025-10-01T10:00:00.000Z');
			await f.record(f.recorders.user, attempt('user', hook.id, unavailable, { startedAt }));
			assert.deepEqual((await f.row(hook.id)).failingSince, startedAt);
		});

		it('a later failure keeps the streak running from the first', async () => {
			const hook = await f.newHook();
			const first = new Date('2025-10-01T10:00:00.000Z');
			await f.record(f.recorders.user, attempt('user', hook.id, unavailable, { startedAt: first }));
			await f.record(f.recorders.user, attempt('user', hook.id, unavailable, { startedAt: new Date('2025-10-02T10:00:00.000Z') }));
			assert.deepEqual((await f.row(hook.id)).failingSince, first);
		});

		it('a delivered attempt clears it', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date('2025-10-01T10:00:00.000Z'));
			await f.record(f.recorders.user, attempt('user', hook.id, delivered));
			assert.equal((await f.row(hook.id)).failingSince, null);
		});

		it('in one batch, a success after failures leaves no streak', async () => {
			const hook = await f.newHook();
			await f.record(f.recorders.user, attempt('user', hook.id, unavailable), attempt('user', hook.id, delivered));
			assert.equal((await f.row(hook.id)).failingSince, null);
		});

		it('in one batch, a failure after a success starts a new streak, replacing the stored one', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date('2025-09-01T00:00:00.000Z'));
			const after = new Date('2025-10-01T10:00:00.000Z');
			await f.record(f.recorders.user, attempt('user', hook.id, delivered), attempt('user', hook.id, unavailable, { startedAt: after }));
			assert.deepEqual((await f.row(hook.id)).failingSince, after);
		});

		it('a batch of many webhooks is one statement, and successes on healthy webhooks rewrite no row', async () => {
			const [failing, ...healthy] = await Promise.all(Array.from({ length: 50 }, () => f.newHook()));
			const statements: string[] = [];
			const query = f.dataSource.query.bind(f.dataSource);
			const counting = Object.create(f.dataSource, { query: { value: (sql: string, parameters?: unknown[]) => { statements.push(sql); return query(sql, parameters); } } }) as DataSource;
			// xmin changes whenever PostgreSQL writes a new version of a row.
			const versions = async () => await f.dataSource.query(`SELECT "id", xmin::text AS "version" FROM "webhook" WHERE "id" = ANY($1) ORDER BY "id"`, [healthy.map((hook) => hook.id)]) as unknown[];
			const before = await versions();
			const counted = f.createRecorders({ dataSource: counting });
			for (const hook of healthy) counted.user.record(attempt('user', hook.id, delivered));
			counted.user.record(attempt('user', failing.id, unavailable));
			await counted.user.close();
			await counted.system.close();
			assert.equal(statements.length, 1, statements.join('\n'));
			assert.notEqual((await f.row(failing.id)).failingSince, null);
			assert.deepEqual(await versions(), before);
		});
	});

	describe('auto-disable after the window', () => {
		it('a delivery exhausting its retries inside the window pauses nothing', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS + HOUR_MS));
			await f.record(f.recorders.user, exhausted('user', hook.id));
			const after = await f.row(hook.id);
			assert.equal(after.active, true);
			assert.equal(after.pausedBy, null);
			assert.deepEqual(f.notified, []);
			assert.deepEqual(f.announcedDisabled, []);
		});

		it("the first failure of a streak never pauses, even when it is the delivery's last attempt", async () => {
			const hook = await f.newHook();
			await f.record(f.recorders.user, exhausted('user', hook.id));
			assert.equal((await f.row(hook.id)).active, true);
		});

		it('once the streak is older than the window, an exhausted delivery pauses the webhook with a reason', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, exhausted('user', hook.id));
			const after = await f.row(hook.id);
			const reason = 'Every delivery failed for 5 days; the last one exhausted its retries (503 Service Unavailable).';
			assert.deepEqual(
				{ active: after.active, pausedBy: after.pausedBy, pausedReason: after.pausedReason, pausedAt: after.pausedAt?.getTime(), pausedByUserId: after.pausedByUserId },
				{ active: false, pausedBy: 'auto', pausedReason: reason, pausedAt: f.nowMs, pausedByUserId: null },
			);
		});

		it('the pause is announced: another process stops matching the webhook', async () => {
			const hook = await f.newHook();
			await f.otherRegistry.announce('webhookCreated', hook);
			assert.deepEqual(f.otherRegistry.match(hook.userId, 'note').map((w) => w.id), [hook.id]);
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, exhausted('user', hook.id));
			assert.deepEqual(f.otherRegistry.match(hook.userId, 'note'), []);
			assert.deepEqual(f.workerRegistry.match(hook.userId, 'note'), []);
		});

		it('the owner is told once, and moderators hear of it, with id, name and URL but never the secret', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, exhausted('user', hook.id));
			// Deliveries queued before the pause still run out; their exhausted attempts change nothing.
			await f.record(f.recorders.user, exhausted('user', hook.id));
			const reason = (await f.row(hook.id)).pausedReason ?? '';
			assert.deepEqual(f.notified, [{ userId: hook.userId, webhook: { id: hook.id, name: 'my hook', url: 'https://receiver.example/hook' }, reason }]);
			// The owner gets the whole URL; the moderators' event its scheme and host only, as its path may be a credential.
			assert.deepEqual(f.announcedDisabled, [{ webhook: { id: hook.id, userId: hook.userId, name: 'my hook', url: 'https://receiver.example/(redacted)' }, reason, pausedBy: 'auto' }]);
			assert.ok(!JSON.stringify([f.notified, f.announcedDisabled]).includes('never-shown'));
		});

		it('a success recorded in the same batch as an exhausted delivery keeps the webhook on', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, exhausted('user', hook.id), attempt('user', hook.id, delivered));
			const after = await f.row(hook.id);
			assert.equal(after.active, true);
			assert.equal(after.failingSince, null);
		});

		it("a moderator's pause is never overwritten by an auto pause, and nobody is told", async () => {
			const hook = await f.newHook();
			const moderatorId = generateId();
			await f.store.pauseByModerator(hook.id, moderatorId, 'spam');
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, exhausted('user', hook.id), attempt('user', hook.id, gone));
			const after = await f.row(hook.id);
			assert.deepEqual([after.active, after.pausedBy, after.pausedReason, after.pausedByUserId], [false, 'moderator', 'spam', moderatorId]);
			assert.deepEqual(f.notified, []);
			assert.deepEqual(f.announcedDisabled, []);
		});

		it('a webhook its owner switched off stays as it is', async () => {
			const hook = await f.newHook();
			await f.store.updateByOwner(hook.id, hook.userId, { active: false });
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, exhausted('user', hook.id));
			const after = await f.row(hook.id);
			assert.deepEqual([after.active, after.pausedBy, after.pausedReason], [false, null, null]);
			assert.deepEqual(f.notified, []);
		});

		it('a window of 0 pauses on the first exhausted delivery', async () => {
			const hook = await f.newHook();
			const instant = f.createRecorders({ autoDisableAfterMs: 0 });
			await f.record(instant.user, exhausted('user', hook.id, new Date(f.nowMs - 1)));
			const after = await f.row(hook.id);
			assert.deepEqual([after.active, after.pausedBy, after.pausedReason], [false, 'auto', 'Every delivery failed for 0 milliseconds; the last one exhausted its retries (503 Service Unavailable).']);
		});
	});

	describe('410 Gone', () => {
		it('pauses at once, with no streak behind it, as `gone`', async () => {
			const hook = await f.newHook();
			await f.record(f.recorders.user, attempt('user', hook.id, gone));
			const after = await f.row(hook.id);
			assert.deepEqual([after.active, after.pausedBy, after.pausedAt?.getTime()], [false, 'gone', f.nowMs]);
			assert.equal(after.pausedReason, 'The receiver answered 410 Gone: the endpoint says it is gone for good, so no more deliveries are sent.');
			assert.deepEqual(f.notified.map((n) => n.webhook.id), [hook.id]);
			assert.deepEqual(f.announcedDisabled.map((a) => [a.webhook.id, a.pausedBy]), [[hook.id, 'gone']]);
		});

		it('wins over an auto pause asked for in the same batch', async () => {
			const hook = await f.newHook();
			await f.setFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.user, attempt('user', hook.id, gone), exhausted('user', hook.id));
			assert.equal((await f.row(hook.id)).pausedBy, 'gone');
		});
	});

});
