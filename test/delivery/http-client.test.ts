import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from '../../src/delivery/sender/agents.js';
import { createDeliveryHttpClient } from '../../src/delivery/sender/http-client.js';
import { normalizeOptions } from '../../src/config/options.js';

// A self-signed certificate for 127.0.0.1, valid until 2126.
const tlsCertificate = readFileSync(new URL('../support/tls/receiver.crt', import.meta.url));
const tlsKey = readFileSync(new URL('../support/tls/receiver.key', import.meta.url));

/** The options each new request hands the agent, as Node passes them on. */
type AgentCall = Record<string, unknown>;

describe('the delivery HTTP client', () => {
	let server: http.Server;
	let tlsServer: https.Server;
	let url: string;
	let tlsUrl: string;
	let agents: DeliveryAgents;
	const agentCalls: AgentCall[] = [];
	const received: Array<{ method: string; body: string }> = [];

	const handler: http.RequestListener = (request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
		request.on('end', () => {
			received.push({ method: request.method ?? '', body });
			if (request.url === '/moved') response.writeHead(302, { location: '/elsewhere' }).end();
			else response.writeHead(request.url === '/broken' ? 500 : 201).end('ok');
		});
	};

	before(async () => {
		server = http.createServer(handler);
		tlsServer = https.createServer({ cert: tlsCertificate, key: tlsKey }, handler);
		await Promise.all([server, tlsServer].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
		agents = createDeliveryAgents(normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379', allowedPrivateNetworks: ['127.0.0.0/8'] }));
		for (const agent of [agents.http, agents.https]) {
			const recording = agent as unknown as { addRequest(request: unknown, options: AgentCall): void };
			const addRequest = recording.addRequest.bind(agent);
			recording.addRequest = (request, options) => {
				agentCalls.push({ ...options });
				addRequest(request, options);
			};
		}
	});

	after(async () => {
		destroyDeliveryAgents(agents);
		await Promise.all([server, tlsServer].map((s) => new Promise((resolve) => s.close(resolve))));
	});

	beforeEach(() => {
		received.length = 0;
		agentCalls.length = 0;
	});

	/** POSTs through a fresh client as the sender does; resolves with the status and the Node options got built. */
	function post(target: string, extra: { https?: { certificateAuthority: Buffer } } = {}): Promise<{ status: number; nodeOptions: Record<string, unknown> }> {
		const client = createDeliveryHttpClient({ agents, requestTimeoutMs: 5_000 });
		return new Promise((resolve, reject) => {
			const request = client.stream.post(target, { body: '{"a":1}', headers: { 'content-type': 'application/json' }, ...extra });
			request.on('response', (response: { statusCode: number }) => {
				const nodeOptions = request.options.createNativeRequestOptions() as Record<string, unknown>;
				request.resume();
				request.on('end', () => resolve({ status: response.statusCode, nodeOptions }));
			});
			request.on('error', reject);
		});
	}

	it('makes each request without got\'s cache options, so its Node options are not built on V8\'s slow path', async () => {
		const { status, nodeOptions } = await post(`${url}/hook`);
		assert.equal(status, 201);
		for (const cacheOption of ['shared', 'cacheHeuristic', 'immutableMinTimeToLive', 'ignoreCargoCult']) assert.equal(cacheOption in nodeOptions, false, cacheOption);
		assert.deepEqual(received, [{ method: 'POST', body: '{"a":1}' }]);
	});

	it('hands Node only the options got set, none left undefined', async () => {
		const { nodeOptions } = await post(`${url}/hook`);
		assert.ok(Object.values(nodeOptions).some((value) => value === undefined), 'got leaves some of its options undefined');
		assert.equal(agentCalls.length, 1);
		assert.deepEqual(Object.entries(agentCalls[0]).filter(([, value]) => value === undefined), []);
		assert.equal(agentCalls[0].method, 'POST');
	});

	it('passes the TLS options got set on to Node: an HTTPS receiver whose certificate authority is given is reached', async () => {
		await assert.rejects(post(`${tlsUrl}/hook`), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		assert.equal((await post(`${tlsUrl}/hook`, { https: { certificateAuthority: tlsCertificate } })).status, 201);
		assert.deepEqual(received, [{ method: 'POST', body: '{"a":1}' }]);
	});

	it('makes one attempt per call: a redirect is not followed, a 500 is not retried and neither throws', async () => {
		assert.equal((await post(`${url}/moved`)).status, 302);
		assert.equal((await post(`${url}/broken`)).status, 500);
		assert.deepEqual(received.map((request) => request.body), ['{"a":1}', '{"a":1}']);
	});
});
