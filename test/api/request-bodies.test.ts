import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { createApiPlugin } from '../../src/api/http/plugin.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

describe('API request bodies and the Fastify plugin', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness();
	});

	after(async () => {
		await api.close();
	});

	describe('request bodies', () => {
		it('malformed JSON gets a 400 INVALID_PARAM envelope saying the body is not JSON', async () => {
			const response = await api.call('i/webhooks/list', {}, { rawPayload: '{"i": ', headers: { 'content-type': 'application/json' } });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.param, 'body');
			assert.match(response.body.error.info.reason, /not valid JSON/);
		});

		it('a text/plain body gets a 400 envelope naming the content type, even when it holds JSON', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { rawPayload: JSON.stringify({ i: token }), headers: { 'content-type': 'text/plain' } });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.param, 'Content-Type');
			assert.match(response.body.error.info.reason, /text\/plain/);
		});

		it('a form-encoded body gets a 400 envelope', async () => {
			const response = await api.call('i/webhooks/list', {}, { rawPayload: 'i=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.info.param, 'Content-Type');
		});

		it('an empty application/json body counts as {}', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { bearer: token, rawPayload: '', headers: { 'content-type': 'application/json' } });
			assert.equal(response.status, 200);
			assert.deepEqual(response.body, []);
		});

		it('a request without body or content type counts as {}', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.app.inject({ method: 'POST', url: '/api/i/webhooks/list', headers: { authorization: `Bearer ${token}` } });
			assert.equal(response.statusCode, 200);
			assert.deepEqual(response.json(), []);
		});

		it('a charset parameter on application/json is accepted', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { rawPayload: JSON.stringify({ i: token }), headers: { 'content-type': 'application/json; charset=utf-8' } });
			assert.equal(response.status, 200);
		});

		it('a body over 1 MiB gets a 413 envelope, not a 500', async () => {
			const response = await api.call('i/webhooks/list', {}, { rawPayload: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } });
			assert.equal(response.status, 413);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.reason, 'FST_ERR_CTP_BODY_TOO_LARGE');
		});

		it('GET on an endpoint gets an empty 405', async () => {
			const response = await api.app.inject({ method: 'GET', url: '/api/i/webhooks/list' });
			assert.equal(response.statusCode, 405);
			assert.equal(response.body, '');
		});

		it('replies are marked uncacheable', async () => {
			const response = await api.call('i/webhooks/list');
			assert.equal(response.headers['cache-control'], 'private, max-age=0, must-revalidate');
		});
	});

	describe('as a Fastify plugin', () => {
		it('serves under the prefix the host gives it and leaves the host routes and parsers alone', async () => {
			const app = Fastify();
			app.post('/host-echo', async (request) => ({ received: request.body }));
			await app.register(createApiPlugin({ store: api.store, registry: api.registry, delivery: api.delivery, systemStore: api.systemStore, systemDelivery: api.systemDelivery, host: api.host, options: api.options }), { prefix: '/api' });
			try {
				const { token } = api.host.addUserWithToken();
				const underPrefix = await app.inject({ method: 'POST', url: '/api/i/webhooks/list', payload: { i: token } });
				assert.equal(underPrefix.statusCode, 200);
				assert.equal((await app.inject({ method: 'POST', url: '/i/webhooks/list', payload: { i: token } })).statusCode, 404);
				const hostRoute = await app.inject({ method: 'POST', url: '/host-echo', payload: { a: 1 } });
				assert.deepEqual(hostRoute.json(), { received: { a: 1 } });
				const hostBadJson = await app.inject({ method: 'POST', url: '/host-echo', headers: { 'content-type': 'application/json' }, payload: '{' });
				assert.equal(hostBadJson.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY', "the host keeps Fastify's own parser and error handler");
			} finally {
				await app.close();
			}
		});
	});
});
