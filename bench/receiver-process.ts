import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Messages between the delivery benchmark and this receiver process. */
export type ReceiverCommand = { kind: 'expect'; count: number } | { kind: 'stop' };
export type ReceiverReport =
	| { kind: 'listening'; ports: number[] }
	| { kind: 'expecting' }
	| { kind: 'received'; count: number; firstAt: number; lastAt: number };

// A webhook receiver in its own process, so its work does not share the benchmarked event loop: answers every POST
// with 204 on loopback and reports when the expected number of requests has arrived (epoch ms of the last one).
// It listens on as many ports as its first argument says: each port is a distinct target host for the sender.
let expected = 0;
let count = 0;
let firstAt = 0;

const send = (report: ReceiverReport) => process.send?.(report);

const servers: http.Server[] = [];

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
	req.resume();
	req.on('end', () => {
		res.writeHead(204).end();
		const now = Date.now();
		count++;
		if (count === 1) firstAt = now;
		if (count === expected) send({ kind: 'received', count, firstAt, lastAt: now });
	});
}

process.on('message', (command: ReceiverCommand) => {
	if (command.kind === 'expect') {
		expected = command.count;
		count = 0;
		firstAt = 0;
		send({ kind: 'expecting' });
	} else {
		for (const server of servers) server.closeAllConnections();
		process.exit(0);
	}
});
// The benchmark going away takes the receiver with it.
process.on('disconnect', () => process.exit(0));

const portCount = Math.max(1, Number(process.argv[2] ?? 1));
const ports = await Promise.all(Array.from({ length: portCount }, () => new Promise<number>((resolve) => {
	const listener = http.createServer(handle);
	listener.keepAliveTimeout = 60_000;
	servers.push(listener);
	listener.listen(0, '127.0.0.1', () => resolve((listener.address() as AddressInfo).port));
})));
send({ kind: 'listening', ports });
