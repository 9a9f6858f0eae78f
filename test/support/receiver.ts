import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	json: any;
	receivedAt: number;
}

/** How the receiver answers one request: a status, or a misbehaviour a real endpoint may show. */
export type Reply =
	| { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
	| { hang: true }
	| { reset: true }
	| { hugeBodyBytes: number; status?: number };

/** A real HTTP server on loopback that records every request and answers as the test tells it. */
export class TestReceiver {
	readonly requests: ReceivedRequest[] = [];
	private server = http.createServer((req, res) => this.handle(req, res));
	private replies: Array<(req: ReceivedRequest) => Reply> = [];
	private fallback: (req: ReceivedRequest) => Reply = () => ({ status: 200 });
	private waiters: Array<() => void> = [];
	private sockets = new Set<Socket>();

	/** Listens on 127.0.0.1, on the port given or one the system picks. */
	async start(port = 0): Promise<this> {
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
		return this;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	url(path = '/hook'): string {
		return `http://127.0.0.1:${this.port}${path}`;
	}

	/** Answers the next requests in order with these replies, then with the fallback. */
	replyNext(...replies: Array<Reply | ((req: ReceivedRequest) => Reply)>): this {
		this.replies.push(...replies.map((r) => (typeof r === 'function' ? r : () => r)));
		return this;
	}

	/** Answers every request not covered by replyNext. */
	replyAlways(reply: Reply | ((req: ReceivedRequest) => Reply)): this {
		this.fallback = typeof reply === 'function' ? reply : () => reply;
		return this;
	}

	clear(): void {
		this.requests.length = 0;
		this.replies = [];
		this.fallback = () => ({ status: 200 });
	}

	/** Resolves once `count` requests (for `path`, if given) have arrived; rejects after `timeoutMs`. */
	async waitForRequests(count: number, timeoutMs = 5000, path?: string): Promise<ReceivedRequest[]> {
		const matching = () => this.requests.filter((r) => path === undefined || r.path === path);
		const deadline = Date.now() + timeoutMs;
		while (matching().length < count) {
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`expected ${count} requests${path ? ` to ${path}` : ''}, got ${matching().length}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.min(left, 50));
				this.waiters.push(() => { clearTimeout(timer); resolve(); });
			});
		}
		return matching();
	}

	/** Waits `ms` and returns what arrived, for asserting that nothing (more) was delivered. */
	async settle(ms: number): Promise<ReceivedRequest[]> {
		await new Promise((resolve) => setTimeout(resolve, ms));
		return this.requests;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			let json: unknown = undefined;
			try { json = rawBody ? JSON.parse(rawBody) : undefined; } catch { json = undefined; }
			const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, json, receivedAt: Date.now() };
			this.requests.push(received);
			for (const wake of this.waiters.splice(0)) wake();
			const next = this.replies.shift() ?? this.fallback;
			this.answer(next(received), req, res);
		});
	}

	private answer(reply: Reply, req: http.IncomingMessage, res: http.ServerResponse): void {
		if ('hang' in reply) return;
		if ('reset' in reply) { req.socket.destroy(); return; }
		if ('hugeBodyBytes' in reply) {
			res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain' });
			const chunk = Buffer.alloc(64 * 1024, 'x');
			let left = reply.hugeBodyBytes;
			const pump = () => {
				while (left > 0) {
					left -= chunk.length;
					if (!res.write(chunk)) { res.once('drain', pump); return; }
				}
				res.end();
			};
			res.on('error', () => {});
			pump();
			return;
		}
		const send = () => {
			res.writeHead(reply.status, reply.headers ?? {});
			res.end(reply.body ?? '');
		};
		if (reply.delayMs) setTimeout(send, reply.delayMs); else send();
	}
}
