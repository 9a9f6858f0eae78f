import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/** A free TCP port on loopback, as the OS hands one out. */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** A redis-server of a test's own, on a spare port, that the test may kill and start again (no persistence). */
export class OwnRedis {
	private process: ChildProcess | null = null;

	private constructor(readonly port: number) {}

	static async start(): Promise<OwnRedis> {
		const redis = new OwnRedis(await freePort());
		await redis.restart();
		return redis;
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}/0`;
	}

	/** Starts the server (again) on the same port and waits until it answers PING. */
	async restart(): Promise<void> {
		if (this.process) throw new Error('already running');
		this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
		const deadline = Date.now() + 20_000;
		for (;;) {
			const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
			client.on('error', () => {});
			try {
				await client.connect();
				await client.ping();
				return;
			} catch (error) {
				if (Date.now() > deadline) throw error;
				await new Promise((resolve) => setTimeout(resolve, 50));
			} finally {
				client.disconnect();
			}
		}
	}

	/** Kills the server at once (SIGKILL), as a crash would, and waits until it is gone. */
	async kill(): Promise<void> {
		const running = this.process;
		if (!running) return;
		this.process = null;
		if (running.exitCode !== null || running.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
		running.kill('SIGKILL');
		await exited;
	}
}
