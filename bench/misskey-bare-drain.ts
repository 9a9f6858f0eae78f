import http from 'node:http';
import Bull from 'bull';
import got from 'got';

/** Messages between the side-by-side benchmark (bench/misskey.ts) and this process. */
export type BareDrainCommand =
	| { kind: 'queue'; redisUrl: string; to: string; count: number; content: unknown; serverUrl: string }
	| { kind: 'start' }
	| { kind: 'stop' };
export type BareDrainReport = { kind: 'queued' } | { kind: 'started'; at: number };

/** Stock Misskey's user-webhook job data (`UserWebhookDeliverJobData`). */
interface JobData {
	type: 'note';
	content: unknown;
	webhookId: string;
	userId: string;
	to: string;
	secret: string;
	createdAt: number;
	eventId: string;
}

// The floor the backlog drain is held to: bare Bull 4 + got, what a delivery needs and nothing more, draining the same
// backlog to the same receiver as the Misskey processes. It runs in a process of its own on Misskey's Node (22), like
// Misskey's queue process: the backlog is queued first with no worker, then the worker starts, `process(64)` (Misskey's
// user-webhook concurrency) with one keep-alive agent. Each job carries a note as Misskey's jobs do and is sent as
// Misskey's processor sends it (the envelope serialized per delivery, Misskey's headers); the note id differs per job
// so the receiver's ledger tells every delivery apart.
const CONCURRENCY = 64;
let queue: Bull.Queue<JobData> | undefined;
let serverUrl = '';
const agent = new http.Agent({ keepAlive: true });
const now = () => performance.timeOrigin + performance.now();
const send = (report: BareDrainReport) => process.send?.(report);

process.on('message', (command: BareDrainCommand) => {
	void handle(command).catch((error) => {
		console.error(error);
		process.exit(1);
	});
});
process.on('disconnect', () => process.exit(0));

async function handle(command: BareDrainCommand): Promise<void> {
	if (command.kind === 'queue') {
		serverUrl = command.serverUrl;
		queue = new Bull<JobData>('userWebhookDeliver', command.redisUrl, { prefix: 'bare' });
		await queue.isReady();
		const note = (command.content as { note: Record<string, unknown> }).note;
		const jobs = Array.from({ length: command.count }, (_, i) => ({
			data: {
				type: 'note' as const,
				content: { note: { ...note, id: `bare${String(i).padStart(6, '0')}` } },
				webhookId: 'bare',
				userId: String(note.userId),
				to: command.to,
				secret: 'bare-secret',
				createdAt: Date.now(),
				eventId: `bare-${i}`,
			},
			opts: { removeOnComplete: true, removeOnFail: true },
		}));
		for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
		send({ kind: 'queued' });
	} else if (command.kind === 'start') {
		if (!queue) throw new Error('start before queue');
		const at = now();
		void queue.process(CONCURRENCY, async (job) => {
			const data = job.data;
			const response = await got.post(data.to, {
				headers: {
					'User-Agent': 'Misskey-Hooks',
					'X-Misskey-Host': new URL(serverUrl).host,
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
		send({ kind: 'started', at });
	} else {
		await queue?.close();
		agent.destroy();
		process.exit(0);
	}
}
