import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Messages between the fairness benchmark and this receiver process. */
export type FairnessReceiverCommand = { kind: 'drain' } | { kind: 'stop' };
export type FairnessReceiverReport =
	| { kind: 'listening'; healthyPort: number; deadPorts: number[] }
	| { kind: 'drained'; samples: Array<[enqueuedAt: number, latencyMs: number]>; deadConnections: number };

// The receivers of bench/fairness.ts in their own process, so their work does not share the benchmarked event loop:
// one healthy receiver that answers every POST with 204 and keeps, per request, the time from the `enqueuedAt` the
// benchmark put in the event body to its arrival here; and `dead` receivers (first argument) that accept the TCP
// connection, read nothing and never answer.
const samples: Array<[number, number]> = [];
let deadConnections = 0;
const sockets = new Set<net.Socket>();
const send = (report: FairnessReceiverReport) => process.send?.(report);

const healthy = http.createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', () => {
		const arrivedAt = Date.now();
		res.writeHead(204).end();
		try {
			const enqueuedAt = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: { enqueuedAt?: unknown } }).body?.enqueuedAt;
			if (typeof enqueuedAt === 'number') samples.push([enqueuedAt, arrivedAt - enqueuedAt]);
		} catch {
			// Not one of the benchmark's events: not measured.
		}
	});
});
healthy.keepAliveTimeout = 60_000;

process.on('message', (command: FairnessReceiverCommand) => {
	if (command.kind === 'drain') {
		send({ kind: 'drained', samples: samples.splice(0), deadConnections });
	} else {
		for (const socket of sockets) socket.destroy();
		healthy.closeAllConnections();
		process.exit(0);
	}
});
process.on('disconnect', () => process.exit(0));

const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const deadCount = Math.max(0, Number(process.argv[2] ?? 0));
const deadPorts = await Promise.all(Array.from({ length: deadCount }, () => listen(net.createServer((socket) => {
	deadConnections++;
	sockets.add(socket);
	socket.on('error', () => undefined);
	socket.on('close', () => sockets.delete(socket));
}))));
send({ kind: 'listening', healthyPort: await listen(healthy), deadPorts });
