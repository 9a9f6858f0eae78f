import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Messages between the end-to-end benchmarks and this receiver process. */
export type ArrivalCommand = { kind: 'expect'; count: number } | { kind: 'collect' } | { kind: 'stop' };
export type ArrivalReport =
	| { kind: 'listening'; ports: number[] }
	| { kind: 'expecting' }
	| { kind: 'complete'; at: number }
	| { kind: 'arrivals'; arrivals: Arrival[] };
/** One request as it arrived: the envelope's hook id, the note id in its body, and when (epoch ms, sub-ms precision). */
export type Arrival = [hookId: string, noteId: string, atMs: number];

// A webhook receiver in its own process, so its work does not share the benchmarked event loop. It answers every POST
// with 204 and keeps, for each, which webhook and which note it was and when it came, so the benchmark can build its
// ledger (raised = delivered + missing, duplicates apart) and the latency of every delivery from the moment its event
// was raised. Both processes read the same wall clock (`performance.timeOrigin + performance.now()`).
let arrivals: Arrival[] = [];
let unique = new Set<string>();
let expected = 0;

const send = (report: ArrivalReport) => process.send?.(report);
const now = () => performance.timeOrigin + performance.now();

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', () => {
		const at = now();
		res.writeHead(204).end();
		let hookId = '';
		let noteId = '';
		try {
			const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { hookId?: string; body?: { note?: { id?: string } } };
			hookId = String(envelope.hookId ?? '');
			noteId = String(envelope.body?.note?.id ?? '');
		} catch {
			// Counted as an arrival nobody raised: the ledger shows it.
		}
		arrivals.push([hookId, noteId, at]);
		const key = `${hookId} ${noteId}`;
		if (unique.has(key)) return;
		unique.add(key);
		if (unique.size === expected) send({ kind: 'complete', at });
	});
}

process.on('message', (command: ArrivalCommand) => {
	if (command.kind === 'expect') {
		arrivals = [];
		unique = new Set();
		expected = command.count;
		send({ kind: 'expecting' });
	} else if (command.kind === 'collect') {
		send({ kind: 'arrivals', arrivals });
	} else {
		process.exit(0);
	}
});
process.on('disconnect', () => process.exit(0));

const portCount = Math.max(1, Number(process.argv[2] ?? 1));
const ports = await Promise.all(Array.from({ length: portCount }, () => new Promise<number>((resolve) => {
	const listener = http.createServer(handle);
	listener.keepAliveTimeout = 60_000;
	listener.listen(0, '127.0.0.1', () => resolve((listener.address() as AddressInfo).port));
})));
send({ kind: 'listening', ports });
