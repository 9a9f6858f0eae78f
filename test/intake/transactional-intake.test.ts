import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { createWebhookModule, EntityGoneError, type WebhookModule } from '../../src/index.js';
import type { Note } from '../../src/generated/note.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testDatabaseUrl, testRedisUrl } from '../support/env.js';
import { PackingHost } from '../support/packing-host.js';
import { TestReceiver } from '../support/receiver.js';
import { CapturingLogger } from '../support/logger.js';
import { eventually } from '../support/eventually.js';

/** A packing host whose notes can be gone for good, or briefly unreachable for the next `failures` calls. */
class FlakyHost extends PackingHost {
	unreachableCalls = 0;
	readonly gone = new Set<string>();

	override async packNote(noteId: string, viewerId: string | null): Promise<Note> {
		if (this.gone.has(noteId)) throw new EntityGoneError(`note ${noteId} was deleted`);
		if (this.unreachableCalls > 0) {
			this.unreachableCalls--;
			throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
		}
		return super.packNote(noteId, viewerId);
	}
}

/** Everything the modules of this suite log, as `message {fields}` lines. */
const moduleLog = new CapturingLogger();

/** The lines the modules log from now on, until `restore`. */
function captureWarnings(): { lines: string[]; restore(): void } {
	const start = moduleLog.lines.length;
	let end: number | undefined;
	return {
		get lines() { return moduleLog.lines.slice(start, end); },
		restore: () => { end = moduleLog.lines.length; },
	};
}

describe('the transactional intake: an event committed with the host\'s write, delivered after commit', () => {
	let dataSource: DataSource;
	let receiver: TestReceiver;
	let host: FlakyHost;
	let hook: WebhookEntity;
	const modules: WebhookModule[] = [];
	const queuePrefix = `mw-test-intake-${randomBytes(6).toString('hex')}`;
	let noteNumber = 0;

	before(async () => {
		dataSource = await createMigratedDataSource();
		receiver = await new TestReceiver().start();
		host = new FlakyHost();
		host.addUser('alice');
		hook = await new WebhookStore(dataSource).create({ userId: 'alice', name: 'notes', url: receiver.url('/notes'), secret: 'alice-secret', on: ['note'] });
	});
	afterEach(async () => {
		while (modules.length > 0) await modules.pop()!.close();
		await dataSource.query(`DELETE FROM "webhook_event_intake"`);
		receiver.clear();
	});
	after(async () => {
		await receiver.close();
		await dataSource.destroy();
		const redis = new Redis(testRedisUrl);
		try {
			const keys = [...await redis.keys(`${queuePrefix}:*`), ...await redis.keys(`${queuePrefix}-relays:*`)];
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
	});

	async function moduleOf(options: { workers: boolean; intakePollIntervalMs?: number; queuePrefix?: string }): Promise<WebhookModule> {
		const webhooks = await createWebhookModule({
			dataSource, host, serverUrl: 'https://intake.test', redisUrl: testRedisUrl, queuePrefix: options.queuePrefix ?? queuePrefix,
			retryDelaysMs: [20], requestTimeoutMs: 2000, allowedPrivateNetworks: testAllowedPrivateNetworks,
			intakePollIntervalMs: options.intakePollIntervalMs ?? 60_000, logger: moduleLog,
		});
		modules.push(webhooks);
		if (options.workers) await webhooks.startWorkers();
		return webhooks;
	}

	const newNote = () => host.addNote({ id: `note${++noteNumber}`, userId: 'alice', text: `note ${noteNumber}` });
	const noteEvent = (id: string) => ({ note: { id, userId: 'alice', visibility: 'public' as const } });
	const intakeRows = async (): Promise<Array<{ event: string; attempts: number; lastError: string | null }>> => dataSource.query(`SELECT "event", "attempts", "lastError" FROM "webhook_event_intake"`);
	const outboxCount = async (): Promise<number> => (await dataSource.query(`SELECT count(*)::int AS "n" FROM "webhook_delivery" WHERE "webhookId" = $1`, [hook.id]))[0].n;
	const notesDelivered = () => receiver.requests.filter((request) => request.path === '/notes').map((request) => request.json.body.note.id as string);

	it('a committed transaction carries its event: one INSERT inside it, delivered once after commit, the intake emptied', async () => {
		const webhooks = await moduleOf({ workers: true });
		const note = newNote();
		await dataSource.transaction(async (manager) => {
			await webhooks.events.noteCreated(noteEvent(note.id), { transaction: manager });
			assert.equal((await manager.query(`SELECT count(*)::int AS "n" FROM "webhook_event_intake"`))[0].n, 1, 'visible inside the transaction');
			assert.equal((await intakeRows()).length, 0, 'invisible outside it until commit');
		});
		// The relay polls once a minute here: only the wake-up at commit delivers it this soon.
		await receiver.waitForRequests(1, 10_000, '/notes');
		assert.deepEqual(notesDelivered(), [note.id]);
		await eventually(intakeRows, (rows) => rows.length === 0, 15_000, 'the intake row deleted');
		assert.equal((await receiver.settle(300)).length, 1, 'delivered once');
	});

	it('a rolled-back transaction leaves no event behind: nothing in the intake, nothing delivered', async () => {
		const webhooks = await moduleOf({ workers: true });
		const note = newNote();
		await assert.rejects(dataSource.transaction(async (manager) => {
			await webhooks.events.noteCreated(noteEvent(note.id), { transaction: manager });
			throw new Error('the host write failed after the event was raised');
		}), /the host write failed/);
		await webhooks.relayIntake();
		assert.deepEqual(await intakeRows(), []);
		assert.deepEqual(await receiver.settle(500), []);
	});

	it('a QueryRunner with its transaction works too; a transaction of another DataSource is refused with a TypeError', async () => {
		const webhooks = await moduleOf({ workers: true });
		const note = newNote();
		const runner = dataSource.createQueryRunner();
		await runner.connect();
		await runner.startTransaction();
		await webhooks.events.noteCreated(noteEvent(note.id), { transaction: runner });
		await runner.commitTransaction();
		await runner.release();
		await receiver.waitForRequests(1, 10_000, '/notes');
		assert.deepEqual(notesDelivered(), [note.id]);

		const other = new DataSource({ type: 'postgres', url: testDatabaseUrl });
		await other.initialize();
		try {
			await assert.rejects(other.transaction((manager) => webhooks.events.noteCreated(noteEvent(note.id), { transaction: manager })), TypeError);
		} finally {
			await other.destroy();
		}
	});

	it('an API-only process (no workers) writes the event; a worker process is woken over Redis and delivers it', async () => {
		const api = await moduleOf({ workers: false });
		const worker = await moduleOf({ workers: true });
		// The worker's first pass, at its start, is over: only a wake-up can bring the event before the minute's poll.
		await worker.relayIntake();
		const note = newNote();
		await dataSource.transaction((manager) => api.events.noteCreated(noteEvent(note.id), { transaction: manager }));
		await receiver.waitForRequests(1, 10_000, '/notes');
		assert.deepEqual(notesDelivered(), [note.id]);
	});

	it('relays in two processes never take the same event: every event becomes exactly one set of outbox rows', async () => {
		// Their own queue, which no worker of the other tests takes from.
		const first = await moduleOf({ workers: false, queuePrefix: `${queuePrefix}-relays` });
		const second = await moduleOf({ workers: false, queuePrefix: `${queuePrefix}-relays` });
		const before = await outboxCount();
		const notes = Array.from({ length: 300 }, newNote);
		await Promise.all(notes.map((note, index) => dataSource.transaction((manager) => (index % 2 ? first : second).events.noteCreated(noteEvent(note.id), { transaction: manager }))));
		assert.equal((await intakeRows()).length, 300);
		await Promise.all([first.relayIntake(), second.relayIntake(), first.relayIntake(), second.relayIntake()]);
		assert.equal((await intakeRows()).length, 0);
		assert.equal(await outboxCount() - before, 300, 'one delivery per event, none twice');
		const bodies: Array<{ n: number }> = await dataSource.query(`SELECT count(DISTINCT "body")::int AS "n" FROM "webhook_delivery" WHERE "webhookId" = $1 AND "createdAt" > now() - interval '1 minute'`, [hook.id]);
		assert.ok(bodies[0].n >= 300);
	});

	it('a body that cannot be packed now stays in the intake, is retried with backoff, and is delivered once it can be', async () => {
		const webhooks = await moduleOf({ workers: true, intakePollIntervalMs: 200 });
		const note = newNote();
		host.unreachableCalls = 2;
		const warnings = captureWarnings();
		try {
			await dataSource.transaction((manager) => webhooks.events.noteCreated(noteEvent(note.id), { transaction: manager }));
			const [waiting] = await eventually(intakeRows, (rows) => rows[0]?.attempts >= 1, 15_000, 'a first failed try recorded');
			assert.match(waiting.lastError ?? '', /ECONNREFUSED/);
			await receiver.waitForRequests(1, 15_000, '/notes');
		} finally {
			warnings.restore();
		}
		assert.deepEqual(notesDelivered(), [note.id]);
		assert.deepEqual(await intakeRows(), []);
		assert.ok(warnings.lines.some((line) => line.includes('not packed yet') && line.includes('ECONNREFUSED')), warnings.lines.join('\n'));
	});

	it('without a transaction, an event whose body cannot be packed now is kept in the intake and delivered later', async () => {
		const webhooks = await moduleOf({ workers: true, intakePollIntervalMs: 200 });
		const note = newNote();
		host.unreachableCalls = 1;
		const warnings = captureWarnings();
		try {
			await webhooks.events.noteCreated(noteEvent(note.id));
			await receiver.waitForRequests(1, 15_000, '/notes');
		} finally {
			warnings.restore();
		}
		assert.deepEqual(notesDelivered(), [note.id]);
		assert.ok(warnings.lines.some((line) => line.includes('waits in the intake')), warnings.lines.join('\n'));
	});

	it('a note gone for good (EntityGoneError, named NotFound) is given up, logged with the event and the reason, and leaves the intake', async () => {
		const webhooks = await moduleOf({ workers: false });
		const note = newNote();
		host.gone.add(note.id);
		const warnings = captureWarnings();
		try {
			await dataSource.transaction((manager) => webhooks.events.noteCreated(noteEvent(note.id), { transaction: manager }));
			await webhooks.relayIntake();
		} finally {
			warnings.restore();
		}
		assert.deepEqual(await intakeRows(), []);
		const line = warnings.lines.find((text) => text.includes('given up'));
		assert.ok(line, warnings.lines.join('\n'));
		assert.match(line, new RegExp(`${note.id}.*NotFound: note ${note.id} was deleted`));
		assert.deepEqual(await receiver.settle(300), []);
	});

	it('a row that can never be relayed (an unknown event) is dropped with a line, and the rows beside it are relayed', async () => {
		const webhooks = await moduleOf({ workers: true });
		await webhooks.relayIntake();
		const note = newNote();
		const warnings = captureWarnings();
		try {
			await dataSource.transaction(async (manager) => {
				await manager.query(`INSERT INTO "webhook_event_intake" ("id", "event", "payload") VALUES ('0000000000poison', 'noteExploded', '{}')`);
				await webhooks.events.noteCreated(noteEvent(note.id), { transaction: manager });
			});
			await receiver.waitForRequests(1, 10_000, '/notes');
		} finally {
			warnings.restore();
		}
		assert.deepEqual(notesDelivered(), [note.id]);
		assert.deepEqual(await intakeRows(), []);
		assert.ok(warnings.lines.some((line) => line.includes('0000000000poison') && line.includes('unknown event \\"noteExploded\\"')), warnings.lines.join('\n'));
	});
});
