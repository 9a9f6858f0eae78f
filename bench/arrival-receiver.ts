import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Arrival, ArrivalCommand, ArrivalReport } from './arrival-receiver-process.js';
import { nextReport } from './receiver-client.js';

/** The receiver process of bench/arrival-receiver-process.ts, driven over IPC. */
export class ArrivalReceiver {
	private constructor(private readonly child: ChildProcess, readonly urls: string[], private readonly completionTimeoutMs: number) {}

	/** `hosts` receivers, one port each; `expect` gives up after `completionTimeoutMs`. */
	static async start(hosts: number, completionTimeoutMs = 300_000): Promise<ArrivalReceiver> {
		const child = fork(fileURLToPath(new URL('./arrival-receiver-process.ts', import.meta.url)), [String(hosts)], { execArgv: ['--import', 'tsx'] });
		const report = await nextReport<ArrivalReport, 'listening'>(child, 'listening');
		return new ArrivalReceiver(child, report.ports.map((port, i) => `http://127.0.0.1:${port}/hook-${i}`), completionTimeoutMs);
	}

	/** Arms the receiver for `count` distinct deliveries (forgetting earlier arrivals); resolves once it is ready, with a promise of the last one's time, NaN on timeout. */
	async expect(count: number): Promise<{ complete: Promise<number> }> {
		const ready = nextReport<ArrivalReport, 'expecting'>(this.child, 'expecting');
		this.child.send({ kind: 'expect', count } satisfies ArrivalCommand);
		await ready;
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<number>((resolve) => { timer = setTimeout(() => resolve(Number.NaN), this.completionTimeoutMs); });
		return { complete: Promise.race([nextReport<ArrivalReport, 'complete'>(this.child, 'complete').then((report) => report.at), timeout]).finally(() => clearTimeout(timer)) };
	}

	async collect(): Promise<Arrival[]> {
		const collected = nextReport<ArrivalReport, 'arrivals'>(this.child, 'arrivals');
		this.child.send({ kind: 'collect' } satisfies ArrivalCommand);
		return (await collected).arrivals;
	}

	async stop(): Promise<void> {
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.send({ kind: 'stop' } satisfies ArrivalCommand);
		await exited;
	}
}
