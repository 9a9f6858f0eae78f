// Bare Bull 4 + got, the floor the backlog drain of the side-by-side benchmark (bench/misskey.ts) is held to: what a
// delivery needs and nothing more. `process(64)` (Misskey's user-webhook concurrency) with one keep-alive agent; each
// job is sent as Misskey's processor sends it (the envelope serialized per delivery, Misskey's headers).
//
// Used two ways: by bench/misskey-bare-drain.ts, in a process of its own; and loaded into a Misskey queue process
// through NODE_OPTIONS=--import, when MISSKEY_BENCH_BARE_REDIS is set, so that the same worker drains a backlog inside
// the process the module runs in. There it starts when the benchmark publishes on MISSKEY_BENCH_BARE_START_CHANNEL,
// which it does once Misskey has said its queue started (Misskey says so as it begins to start its workers).
// Plain JavaScript: Misskey runs on Node 22 without tsx.
// Its imports resolve from this file's place, so from this repository, not from the Misskey tree the process runs in.
import http from 'node:http';
import Bull from 'bull';
import got from 'got';
import { Redis } from 'ioredis';

const BARE_CONCURRENCY = 64;
const BARE_QUEUE_NAME = 'userWebhookDeliver';
const BARE_QUEUE_PREFIX = 'bare';

/** The backlog's queue: no worker until `startBareWorker`. */
export function openBareQueue(redisUrl) {
	return new Bull(BARE_QUEUE_NAME, redisUrl, { prefix: BARE_QUEUE_PREFIX });
}

/** Starts `process(64)` on the queue; resolves with the moment it started, in ms since the epoch. */
export async function startBareWorker(queue, serverUrl) {
	const agent = new http.Agent({ keepAlive: true });
	const host = new URL(serverUrl).host;
	const at = performance.timeOrigin + performance.now();
	void queue.process(BARE_CONCURRENCY, async (job) => {
		const data = job.data;
		const response = await got.post(data.to, {
			headers: {
				'User-Agent': 'Misskey-Hooks',
				'X-Misskey-Host': host,
				'X-Misskey-Hook-Id': data.webhookId,
				'X-Misskey-Hook-Secret': data.secret,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ server: serverUrl, hookId: data.webhookId, userId: data.userId, eventId: data.eventId, createdAt: data.createdAt, type: data.type, body: data.content }),
			agent: { http: agent },
			retry: { limit: 0 },
			throwHttpErrors: false,
		});
		if (response.statusCode >= 300) throw new Error(`status ${response.statusCode}`);
	}).catch(() => undefined);
	return { at, close: async () => { await queue.close(); agent.destroy(); } };
}

// Loaded into a Misskey process: wait for the benchmark's word, then drain.
const redisUrl = process.env.MISSKEY_BENCH_BARE_REDIS;
if (redisUrl) {
	const listener = new Redis(redisUrl);
	await listener.subscribe(process.env.MISSKEY_BENCH_BARE_START_CHANNEL);
	listener.once('message', () => {
		listener.disconnect();
		void startBareWorker(openBareQueue(redisUrl), process.env.MISSKEY_BENCH_BARE_SERVER_URL);
	});
}
