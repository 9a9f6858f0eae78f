// Split processes in the Misskey stage (.ci/misskey): a web process (MK_ONLY_SERVER) queues deliveries and a queue
// process (MK_ONLY_QUEUE) sends them. Midway through a run of notes the queue process is killed with SIGKILL and
// started again: every note must still reach the receiver, verified, with the secret.
//   MISSKEY_CONFIG_YML, MISSKEY_PORT: a migrated database no account was made on yet; SPLIT_NOTES (default 200)
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyWebhookRequest } from 'misskey-webhooks/receiver';
import { TestReceiver } from '../support/receiver.js';
import { api, createAccount, createRootAccount, startMisskey, type MisskeyProcess } from './misskey-process.js';

const config = process.env.MISSKEY_CONFIG_YML ?? 'default.yml';
const port = Number(process.env.MISSKEY_PORT ?? 61813);
const notes = Number(process.env.SPLIT_NOTES ?? 200);
const secret = 'split-secret';

/** Note ids delivered so far, each counted once; deliveries that fail verification are kept apart. */
function deliveredNotes(receiver: TestReceiver): { ids: Set<string>; unverified: number } {
	const ids = new Set<string>();
	let unverified = 0;
	for (const request of receiver.requests) {
		const result = verifyWebhookRequest({ headers: request.headers, rawBody: request.rawBody, secret });
		if (result.ok && result.payload.type === 'note') ids.add(result.payload.body.note.id);
		else unverified++;
	}
	return { ids, unverified };
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

// A receiver slow enough that deliveries are in flight when the queue process dies.
const receiver = await new TestReceiver().start();
receiver.replyAlways({ status: 200, delayMs: 20 });
const web = await startMisskey({ config, port, role: 'server' });
let queue: MisskeyProcess | null = await startMisskey({ config, port, role: 'queue' });
try {
	const root = await createRootAccount(web.url, 'root');
	const alice = await createAccount(web.url, root, 'alice');
	await api(web.url, 'i/webhooks/create', { name: 'split', url: receiver.url('/split'), secret, on: ['note'] }, alice.token);

	const posted: string[] = [];
	const post = async (count: number) => {
		for (let i = 0; i < count; i += 10) {
			const batch = await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) => api<{ createdNote: { id: string } }>(web.url, 'notes/create', { text: `split ${posted.length + i + j}` }, alice.token)));
			posted.push(...batch.map((created) => created.createdNote.id));
		}
	};

	const third = Math.floor(notes / 3);
	await post(third);
	await waitFor('the first deliveries', () => deliveredNotes(receiver).ids.size >= Math.floor(third / 2), 60_000);
	await queue.kill();
	queue = null;
	const atKill = deliveredNotes(receiver).ids.size;
	await post(notes - third);
	const killedAt = Date.now();
	queue = await startMisskey({ config, port, role: 'queue' });
	await waitFor(`${notes} notes delivered`, () => deliveredNotes(receiver).ids.size >= notes, 120_000);
	const { ids, unverified } = deliveredNotes(receiver);
	assert.equal(unverified, 0, 'every delivery verifies with the secret');
	assert.deepEqual(posted.filter((id) => !ids.has(id)), [], 'no note is lost');
	console.log(`split: ${notes} notes, ${atKill} delivered before the SIGKILL, all ${ids.size} delivered ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the restart, ${receiver.requests.length - ids.size} sent twice`);
} finally {
	await queue?.stop();
	await web.stop();
	await receiver.close();
}
