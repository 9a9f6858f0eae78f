import { openBareQueue, startBareWorker, type BareJobData } from './misskey-bare-worker.js';

/** Messages between the side-by-side benchmark (bench/misskey.ts) and this process. */
export type BareDrainCommand =
	| { kind: 'queue'; redisUrl: string; to: string; count: number; content: unknown; serverUrl: string; noteIdPrefix: string }
	| { kind: 'start' }
	| { kind: 'stop' };
export type BareDrainReport = { kind: 'queued' } | { kind: 'started'; at: number };

// Queues the bare backlog, and drains it with bare Bull 4 + got (bench/misskey-bare-worker.js) in a process of its own
// on Misskey's Node (22), like Misskey's queue process: the backlog is queued first with no worker, then the worker
// starts. Each job carries a note as Misskey's jobs do; the note id differs per job so the receiver's ledger tells
// every delivery apart. A backlog may instead be left for the worker loaded into a Misskey queue process.
let queue: ReturnType<typeof openBareQueue> | undefined;
let serverUrl = '';
let worker: Awaited<ReturnType<typeof startBareWorker>> | undefined;
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
		queue = openBareQueue(command.redisUrl);
		await queue.isReady();
		const note = (command.content as { note: Record<string, unknown> }).note;
		const jobs = Array.from({ length: command.count }, (_, i): { data: BareJobData; opts: { removeOnComplete: true; removeOnFail: true } } => ({
			data: {
				type: 'note',
				content: { note: { ...note, id: `${command.noteIdPrefix}${String(i).padStart(6, '0')}` } },
				webhookId: 'bare',
				userId: String(note.userId),
				to: command.to,
				secret: 'bare-secret',
				createdAt: Date.now(),
				eventId: `${command.noteIdPrefix}-${i}`,
			},
			opts: { removeOnComplete: true, removeOnFail: true },
		}));
		for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
		send({ kind: 'queued' });
	} else if (command.kind === 'start') {
		if (!queue) throw new Error('start before queue');
		worker = await startBareWorker(queue, serverUrl);
		send({ kind: 'started', at: worker.at });
	} else {
		await (worker ? worker.close() : queue?.close());
		process.exit(0);
	}
}
