import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReceiverCommand, ReceiverReport } from './receiver-process.js';

/** The 204 receiver of bench/receiver-process.ts in its own process, driven over IPC, for every delivery benchmark. */
export class BenchReceiver {
	private constructor(private readonly child: ChildProcess, readonly urls: string[]) {}

	/** Starts the receiver listening on `hosts` loopback ports (each a distinct target host). */
	static async start(hosts: number): Promise<BenchReceiver> {
		const child = fork(fileURLToPath(new URL('./receiver-process.ts', import.meta.url)), [String(hosts)], { execArgv: ['--import', 'tsx'] });
		const report = await nextReport<ReceiverReport, 'listening'>(child, 'listening');
		return new BenchReceiver(child, report.ports.map((port) => `http://127.0.0.1:${port}/hook`));
	}

	/** Arms the receiver for `count` requests; `lastAt` resolves with the epoch ms of the last one once all have arrived. */
	async expect(count: number, timeoutMs = 300_000): Promise<{ lastAt: Promise<number> }> {
		const ready = nextReport<ReceiverReport, 'expecting'>(this.child, 'expecting');
		this.child.send({ kind: 'expect', count } satisfies ReceiverCommand);
		await ready;
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the receiver did not get every delivery')), timeoutMs); });
		// Wrapped in an object: an async function would otherwise wait for the promise it returns.
		return { lastAt: Promise.race([nextReport<ReceiverReport, 'received'>(this.child, 'received').then((report) => report.lastAt), timeout]).finally(() => clearTimeout(timer)) };
	}

	async stop(): Promise<void> {
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.send({ kind: 'stop' } satisfies ReceiverCommand);
		await exited;
	}
}

/** The next report of `kind` a receiver process sends; rejects when the process exits first. */
export function nextReport<Report extends { kind: string }, K extends Report['kind']>(child: ChildProcess, kind: K): Promise<Extract<Report, { kind: K }>> {
	return new Promise((resolve, reject) => {
		const onMessage = (report: Report) => {
			if (report.kind !== kind) return;
			child.off('message', onMessage);
			child.off('exit', onExit);
			resolve(report as Extract<Report, { kind: K }>);
		};
		const onExit = () => reject(new Error('the receiver process exited'));
		child.on('message', onMessage);
		child.once('exit', onExit);
	});
}
