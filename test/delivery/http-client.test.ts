import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from '../../src/delivery/sender/agents.js';
import { createDeliveryHttpClient } from '../../src/delivery/sender/http-client.js';
import { normalizeOptions } from '../../src/config/options.js';

describe('the delivery HTTP client', () => {
	let server: http.Server;
	let url: string;
	let agents: DeliveryAgents;
	const received: Array<{ method: string; body: string }> = [];

	before(async () => {
		server = http.createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
			request.on('end', () => {
				received.push({ method: request.method ?? '', body });
				if (request.url === '/moved') response.writeHead(302, { location: '/elsewhere' }).end();
				else response.writeHead(request.url === '/broken' ? 500 : 201).end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		agents = createDeliveryAgents(normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379', allowedPrivateNetworks: ['127.0.0.0/8'] }));
	});

	after(async () => {
		destroyDeliveryAgents(agents);
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => { received.length = 0; });

	/** POSTs through a fresh client as the sender does; resolves with the status and the Node options the request was made with. */
	function post(path: string): Promise<{ status: number; nodeOptions: Record<string, unknown> }> {
		const client = createDeliveryHttpClient({ agents, requestTimeoutMs: 5_000 });
		return new Promise((resolve, reject) => {
			const request = client.stream.post(`${url}${path}`, { body: '{"a":1}', headers: { 'content-type': 'application/json' } });
			request.on('response', (response: { statusCode: number }) => {
				const nodeOptions = request.options.createNativeRequestOptions() as Record<string, unknown>;
				request.resume();
				request.on('end', () => resolve({ status: response.statusCode, nodeOptions }));
			});
			request.on('error', reject);
		});
	}

	it('makes each request without got\'s cache options, so its Node options are not built on V8\'s slow path', async () => {
		const { status, nodeOptions } = await post('/hook');
		assert.equal(status, 201);
		for (const cacheOption of ['shared', 'cacheHeuristic', 'immutableMinTimeToLive', 'ignoreCargoCult']) assert.equal(cacheOption in nodeOptions, false, cacheOption);
		assert.deepEqual(received, [{ method: 'POST', body: '{"a":1}' }]);
	});

	it('makes one attempt per call: a redirect is not followed, a 500 is not retried and neither throws', async () => {
		assert.equal((await post('/moved')).status, 302);
		assert.equal((await post('/broken')).status, 500);
		assert.deepEqual(received.map((request) => request.body), ['{"a":1}', '{"a":1}']);
	});
});
