import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on loopback in front of a real service (Redis, PostgreSQL), so a test can take the service away from the
 * module and give it back: `cut()` drops every open connection and refuses new ones (each is closed at once), `restore()`
 * lets them through again. The service itself never notices.
 */
export class TcpProxy {
	private readonly server = net.createServer((client) => this.accept(client));
	private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
	private down = false;

	private constructor(private readonly target: { host: string; port: number }) {}

	/** Starts a proxy to `host:port` on a free loopback port. */
	static async start(target: { host: string; port: number }): Promise<TcpProxy> {
		const proxy = new TcpProxy(target);
		await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
		return proxy;
	}

	/** A proxy in front of the service a URL names; `url()` gives the same URL through the proxy. */
	static async forUrl(url: string, defaultPort: number): Promise<TcpProxy> {
		const parsed = new URL(url);
		return TcpProxy.start({ host: parsed.hostname, port: Number(parsed.port || defaultPort) });
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	/** `url` with its host and port replaced by the proxy's. */
	url(url: string): string {
		const parsed = new URL(url);
		parsed.hostname = '127.0.0.1';
		parsed.port = String(this.port);
		return parsed.toString();
	}

	/** Connections open through the proxy right now. */
	get openConnections(): number {
		return this.pairs.size;
	}

	/** The service goes away: open connections are reset, new ones closed as soon as they arrive. */
	cut(): void {
		this.down = true;
		for (const { client, upstream } of this.pairs) {
			client.destroy();
			upstream.destroy();
		}
		this.pairs.clear();
	}

	/** The service is back. */
	restore(): void {
		this.down = false;
	}

	async close(): Promise<void> {
		this.cut();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private accept(client: net.Socket): void {
		if (this.down) {
			client.destroy();
			return;
		}
		const upstream = net.connect(this.target.port, this.target.host);
		const pair = { client, upstream };
		this.pairs.add(pair);
		const drop = () => {
			this.pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
		client.pipe(upstream);
		upstream.pipe(client);
	}
}
