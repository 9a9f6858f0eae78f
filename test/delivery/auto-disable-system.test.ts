import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { webhookEntities } from '../../src/store/entities.js';
import { testDatabaseUrl } from '../support/env.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { AutoDisableFixture, attempt, delivered, exhausted, gone, HOUR_MS, unavailable, WINDOW_MS } from './auto-disable-fixture.js';

describe('auto-disable recorder: system webhooks, and PostgreSQL briefly away', () => {
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

	describe('system webhooks: the same rule on system_webhook', () => {
		it('a failure starts the streak and a success clears it', async () => {
			const hook = await f.newSystemHook();
			const startedAt = new Date('2025-10-01T10:00:00.000Z');
			await f.record(f.recorders.system, attempt('system', hook.id, unavailable, { startedAt }));
			assert.deepEqual((await f.systemRow(hook.id)).failingSince, startedAt);
			await f.record(f.recorders.system, attempt('system', hook.id, delivered));
			assert.equal((await f.systemRow(hook.id)).failingSince, null);
		});

		it('410 sets isActive false with pausedBy gone, and another process stops matching it', async () => {
			const hook = await f.newSystemHook();
			await f.otherRegistry.announceSystem('systemWebhookCreated', hook);
			const matched = () => f.otherRegistry.matchSystem('userCreated').filter((w) => w.id === hook.id).length;
			assert.equal(matched(), 1);
			await f.record(f.recorders.system, attempt('system', hook.id, gone));
			const after = await f.systemRow(hook.id);
			assert.deepEqual([after.isActive, after.pausedBy], [false, 'gone']);
			assert.equal(matched(), 0);
			assert.deepEqual(f.notified, [], 'a system webhook has no owner to tell');
			assert.deepEqual(f.announcedDisabled, [], 'userWebhookDisabled is about user webhooks only');
		});

		it('an exhausted delivery after the window sets isActive false with pausedBy auto and the reason', async () => {
			const hook = await f.newSystemHook();
			await f.setSystemFailingSince(hook.id, new Date(f.nowMs - WINDOW_MS - 1));
			await f.record(f.recorders.system, exhausted('system', hook.id));
			const after = await f.systemRow(hook.id);
			assert.deepEqual([after.isActive, after.pausedBy, after.pausedReason, after.pausedAt?.getTime()], [
				false, 'auto', 'Every delivery failed for 5 days; the last one exhausted its retries (503 Service Unavailable).', f.nowMs,
			]);
			assert.deepEqual(after.updatedAt, hook.updatedAt, 'updatedAt belongs to API writes');
		});

		it('an exhausted delivery inside the window pauses nothing', async () => {
			const hook = await f.newSystemHook();
			await f.setSystemFailingSince(hook.id, new Date(f.nowMs - HOUR_MS));
			await f.record(f.recorders.system, exhausted('system', hook.id));
			assert.equal((await f.systemRow(hook.id)).isActive, true);
		});

		it('each recorder keeps to its own kind: a user attempt never touches system_webhook, nor the reverse', async () => {
			const hook = await f.newSystemHook();
			await f.record(f.recorders.user, attempt('system', hook.id, gone));
			assert.equal((await f.systemRow(hook.id)).isActive, true);
			const userHook = await f.newHook();
			await f.record(f.recorders.system, attempt('user', userHook.id, gone));
			assert.equal((await f.row(userHook.id)).active, true);
		});
	});

	describe('PostgreSQL briefly away', () => {
		let proxy: TcpProxy;
		let proxied: DataSource;

		before(async () => {
			proxy = await TcpProxy.forUrl(testDatabaseUrl, 5432);
			proxied = await new DataSource({ type: 'postgres', url: proxy.url(testDatabaseUrl), entities: webhookEntities }).initialize();
		});
		after(async () => {
			await proxied.destroy();
			await proxy.close();
		});

		it('keeps what it could not write, and writes the streak and the 410 pause once PostgreSQL is back', async () => {
			const failing = await f.newHook();
			const gone410 = await f.newHook();
			const startedAt = new Date('2025-10-01T10:00:00.000Z');
			const away = f.createRecorders({ dataSource: proxied });
			proxy.cut();
			away.user.record(attempt('user', failing.id, unavailable, { startedAt }));
			away.user.record(attempt('user', gone410.id, gone));
			await away.user.flush();
			assert.equal((await f.row(failing.id)).failingSince, null, 'nothing written while away');
			assert.ok(f.logger.lines.some((line) => line.includes('will retry')), f.logger.lines.join('\n'));
			proxy.restore();
			await away.user.close();
			await away.system.close();
			assert.deepEqual((await f.row(failing.id)).failingSince, startedAt);
			assert.deepEqual([(await f.row(gone410.id)).active, (await f.row(gone410.id)).pausedBy], [false, 'gone']);
			assert.deepEqual(f.notified.map((n) => n.webhook.id), [gone410.id], 'told once');
			f.logger.lines.length = 0;
		});
	});
});
