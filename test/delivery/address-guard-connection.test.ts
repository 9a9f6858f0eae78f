import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import got from 'got';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from '../../src/delivery/sender/agents.js';
import { parseAllowedNetworks, type AllowedNetwork } from '../../src/config/allowed-networks.js';
import { guardedLookup, guardSocketOnConnect, refuseBlockedLiteral } from '../../src/delivery/guard/address-guard-connection.js';
import { BlockedAddressError, blockedAddressOf } from '../../src/delivery/guard/address-guard-error.js';

function allowlist(...entries: string[]): AllowedNetwork[] {
	const parsed = parseAllowedNetworks(entries);
	if (!parsed.ok) throw new Error(parsed.problems.join('; '));
	return parsed.networks;
}

/** A loopback TCP server that counts connections and bytes, answering HTTP 200 (or a redirect) to whatever it reads. */
async function startCountingServer(host = '127.0.0.1', answer = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok') {
	const counts = { connections: 0, bytes: 0 };
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		counts.connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		socket.on('data', (chunk) => {
			counts.bytes += chunk.length;
			socket.end(answer);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	return {
		counts,
		port: (server.address() as AddressInfo).port,
		close: () => new Promise<void>((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		}),
	};
}

/** Settles with the error a socket failed with, or null once it closes cleanly. */
function socketOutcome(socket: net.Socket): Promise<Error | null> {
	return new Promise((resolve) => {
		socket.once('error', resolve);
		socket.once('close', () => resolve(null));
	});
}

const lookupAll = (lookup: net.LookupFunction, host: string) => new Promise<{ error: Error | null; addresses: unknown }>((resolve) => {
	lookup(host, { all: true }, (error, addresses) => resolve({ error, addresses }));
});

describe('address guard at connect time', () => {
	let server: Awaited<ReturnType<typeof startCountingServer>>;
	let agents: DeliveryAgents | undefined;

	before(async () => {
		server = await startCountingServer();
	});
	beforeEach(() => {
		server.counts.connections = 0;
		server.counts.bytes = 0;
	});
	afterEach(() => {
		if (agents) destroyDeliveryAgents(agents);
		agents = undefined;
	});
	after(() => server.close());

	it('a literal blocked host is refused before connecting: the server sees no connection at all', async () => {
		agents = createDeliveryAgents({ allowedNetworks: [] });
		const error = await got.post(`http://127.0.0.1:${server.port}/hook`, { agent: agents, retry: { limit: 0 }, body: 'x' }).then(() => null, (e: unknown) => e);
		const blocked = blockedAddressOf(error);
		assert.ok(blocked, `expected a BlockedAddressError, got ${String(error)}`);
		assert.equal(blocked.code, 'blocked-address');
		assert.equal(blocked.reason, 'Blocked address: 127.0.0.1 (loopback)');
		assert.equal(server.counts.connections, 0);
	});

	it('a name resolving only to blocked addresses fails at lookup, before connecting', async () => {
		const { error } = await lookupAll(guardedLookup(server.port, []), 'localhost');
		assert.ok(error instanceof BlockedAddressError);
		assert.equal(error.addressClass, 'loopback');
		agents = createDeliveryAgents({ allowedNetworks: [] });
		const requestError = await got.post(`http://localhost:${server.port}/hook`, { agent: agents, retry: { limit: 0 }, body: 'x' }).then(() => null, (e: unknown) => e);
		assert.equal(blockedAddressOf(requestError)?.addressClass, 'loopback');
		assert.equal(server.counts.connections, 0);
	});

	it('the lookup passes on only the allowed addresses, in both of its calling forms', async () => {
		const lookup = guardedLookup(server.port, allowlist('127.0.0.0/8'));
		const { error, addresses } = await lookupAll(lookup, 'localhost');
		assert.equal(error, null);
		assert.ok(Array.isArray(addresses) && addresses.length > 0);
		assert.deepEqual(addresses.filter((entry: { address: string }) => !entry.address.startsWith('127.')), []);
		const single = await new Promise<{ address: unknown; family: unknown }>((resolve) => lookup('localhost', {}, (_error, address, family) => resolve({ address, family })));
		assert.match(String(single.address), /^127\./);
		assert.equal(single.family, 4);
	});

	it('a literal host is judged as a literal: brackets stripped, names left to the lookup', () => {
		assert.equal(refuseBlockedLiteral('[::1]', 80, [])?.reason, 'Blocked address: ::1 (loopback)');
		assert.equal(refuseBlockedLiteral('10.0.0.1', 80, [])?.addressClass, 'private');
		assert.equal(refuseBlockedLiteral('10.0.0.1', 80, allowlist('10.0.0.0/8')), null);
		assert.equal(refuseBlockedLiteral('receiver.example', 80, []), null);
		assert.equal(refuseBlockedLiteral('93.184.215.14', 80, []), null);
	});

	it('the connected peer is checked on connect, whatever resolved it: the socket dies before a byte is written', async () => {
		// Connecting directly skips the agent's earlier checks, as a rebinding resolver would.
		const socket = net.connect({ host: '127.0.0.1', port: server.port });
		guardSocketOnConnect(socket, []);
		socket.write('POST /hook HTTP/1.1\r\n\r\n');
		const error = await socketOutcome(socket);
		assert.ok(error instanceof BlockedAddressError);
		assert.equal(error.reason, 'Blocked address: 127.0.0.1 (loopback)');
		assert.equal(error.port, server.port);
		await new Promise((resolve) => setTimeout(resolve, 30));
		assert.equal(server.counts.bytes, 0);
	});

	it('a TLS connection to a blocked peer is cut before its ClientHello', async () => {
		const socket = tls.connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false });
		guardSocketOnConnect(socket, []);
		const error = await socketOutcome(socket);
		assert.ok(error instanceof BlockedAddressError);
		await new Promise((resolve) => setTimeout(resolve, 30));
		assert.equal(server.counts.bytes, 0);
	});

	it('the connect-time check honours the allowlist and its port', async () => {
		const allowed = net.connect({ host: '127.0.0.1', port: server.port });
		guardSocketOnConnect(allowed, allowlist(`127.0.0.0/8:${server.port}`));
		allowed.write('GET / HTTP/1.1\r\n\r\n');
		allowed.resume();
		assert.equal(await socketOutcome(allowed), null);
		assert.ok(server.counts.bytes > 0);

		const otherPort = net.connect({ host: '127.0.0.1', port: server.port });
		guardSocketOnConnect(otherPort, allowlist(`127.0.0.0/8:${server.port === 65535 ? 1 : server.port + 1}`));
		assert.ok((await socketOutcome(otherPort)) instanceof BlockedAddressError);
	});

	it('every redirect hop goes through the guard, even for a client that follows redirects', async () => {
		const target = await startCountingServer();
		const redirecting = await startCountingServer('127.0.0.1', `HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:${target.port}/second\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
		try {
			agents = createDeliveryAgents({ allowedNetworks: allowlist(`127.0.0.0/8:${redirecting.port}`) });
			const error = await got.post(`http://127.0.0.1:${redirecting.port}/first`, { agent: agents, retry: { limit: 0 }, body: 'x', followRedirect: true }).then(() => null, (e: unknown) => e);
			assert.equal(redirecting.counts.connections, 1);
			assert.equal(blockedAddressOf(error)?.reason, 'Blocked address: 127.0.0.1 (loopback)');
			assert.equal(target.counts.connections, 0);
		} finally {
			await target.close();
			await redirecting.close();
		}
	});

	it('an allowed connection is pooled and reused like any other (keep-alive survives the guard)', async () => {
		const receiver = http.createServer((_req, res) => res.end('ok'));
		let connections = 0;
		receiver.on('connection', () => { connections++; });
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			agents = createDeliveryAgents({ allowedNetworks: allowlist('127.0.0.0/8') });
			const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
			for (let i = 0; i < 3; i++) assert.equal((await got.post(url, { agent: agents, body: 'x' })).statusCode, 200);
			assert.equal(connections, 1);
		} finally {
			destroyDeliveryAgents(agents!);
			agents = undefined;
			receiver.closeAllConnections();
			await new Promise<void>((resolve) => receiver.close(() => resolve()));
		}
	});
});
