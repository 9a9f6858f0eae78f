import assert from 'node:assert/strict';
import { apiEndpoints } from '../../src/api/endpoints/index.js';
import type { AnyEndpoint } from '../../src/api/endpoint.js';
import { TestReceiver } from '../support/receiver.js';
import { eventually, startApiHarness, type ApiHarness } from './api-harness.js';
import { hostileValue, hostileValueFor, SeededRandom, validValue, type FuzzFixtures } from './fuzz-params.js';

// FUZZ_SEED reproduces a run; FUZZ_REQUESTS makes it longer. A failure names the seed and the request's number.
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);

interface FuzzRequest {
	endpoint: string;
	headers: Record<string, string>;
	payload: string;
	/** Whether body `i` is there but not a string: Misskey's one bare 400 without an envelope. */
	nonStringCredential: boolean;
	summary: string;
}

const badBodies: ReadonlyArray<{ contentType?: string; payload: string }> = [
	{ contentType: 'application/json', payload: '{' },
	{ contentType: 'application/json', payload: '{"name": "a",}' },
	{ contentType: 'application/json', payload: "{'name': 'a'}" },
	{ contentType: 'application/json', payload: '[' .repeat(20_000) + ']'.repeat(20_000) },
	{ contentType: 'application/json', payload: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) },
	{ contentType: 'application/json', payload: '"\\ud800"' },
	{ contentType: 'application/json', payload: '{"name":"\\u0000"}' },
	{ contentType: 'application/json', payload: 'null' },
	{ contentType: 'application/json', payload: '12345678901234567890123456789e999' },
	{ contentType: 'application/json', payload: '\u0000' },
	{ contentType: 'application/json; charset=utf-16', payload: '{}' },
	{ contentType: 'text/plain', payload: '{"name":"a"}' },
	{ contentType: 'application/x-www-form-urlencoded', payload: 'name=a&url=b' },
	{ contentType: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--' },
	{ contentType: 'application/xml', payload: '<a/>' },
	{ payload: '{"name":"a"}' },
	{ contentType: 'application/json', payload: 'x'.repeat(1024 * 1024 + 10) },
];

describe(`fuzz: malformed requests to every endpoint never reach a 5xx (seed ${SEED}, ${REQUESTS} requests)`, function () {
	this.timeout(600_000);
	let api: ApiHarness;
	let receiver: TestReceiver;
	let fixtures: FuzzFixtures;
	let moderatorToken: string;
	let moderatorId: string;
	let appTokens: string[];

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
		receiver = await new TestReceiver().start();
		const { user, token } = api.host.addUserWithToken({ isModerator: true });
		api.host.setWebhookLimit(user, 1_000_000);
		moderatorToken = token;
		moderatorId = user.id;
		appTokens = [
			api.host.issueToken(user, { native: false, permissions: ['read:account', 'write:account'] }),
			api.host.issueToken(user, { native: false, permissions: [] }),
		];
		fixtures = await freshFixtures();
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	/** A user webhook and a system webhook, each with one finished delivery, owned by the fuzzing moderator. */
	async function freshFixtures(): Promise<FuzzFixtures> {
		const user = await api.store.create({ userId: moderatorId, name: 'fuzz', url: receiver.url('/user'), secret: 's', on: ['note'] });
		const system = await api.systemStore.create({ isActive: true, name: 'fuzz', on: ['abuseReport'], url: receiver.url('/system'), secret: 's' });
		await api.delivery.enqueue([user], 'note', { note: { id: 'n' } });
		await api.systemDelivery.enqueue([system], 'abuseReport', { id: 'r' });
		const [userDelivery] = await eventually(() => api.delivery.deliveries.listByWebhook('user', user.id, { limit: 1 }), (rows) => rows.length > 0, 20_000);
		const [systemDelivery] = await eventually(() => api.systemDelivery.deliveries.listByWebhook('system', system.id, { limit: 1 }), (rows) => rows.length > 0, 20_000);
		return { userWebhookId: user.id, systemWebhookId: system.id, userDeliveryId: userDelivery!.id, systemDeliveryId: systemDelivery!.id, userId: moderatorId, receiverUrl: receiver.url('/fuzz') };
	}

	function credential(random: SeededRandom): { body: Record<string, unknown>; headers: Record<string, string>; nonString: boolean } {
		const roll = random.int(20);
		if (roll < 14) return random.chance(0.5) ? { body: { i: moderatorToken }, headers: {}, nonString: false } : { body: {}, headers: { authorization: `Bearer ${moderatorToken}` }, nonString: false };
		if (roll < 16) return { body: { i: random.pick(appTokens) }, headers: {}, nonString: false };
		if (roll < 17) return { body: {}, headers: {}, nonString: false };
		if (roll < 18) return { body: { i: random.pick(['\u0000', '\ud800', 'x'.repeat(100_000), 'nope']) }, headers: {}, nonString: false };
		const i = random.pick([1, null, {}, [], true]);
		// `i: null` counts as no credential, as in Misskey; only a non-null non-string is the bare 400.
		return { body: { i }, headers: {}, nonString: i !== null };
	}

	function mutateParams(random: SeededRandom, endpoint: AnyEndpoint, body: Record<string, unknown>): string[] {
		const keys = Object.keys(endpoint.params.properties);
		const done: string[] = [];
		for (let n = 1 + random.int(3); n > 0; n--) {
			const key = keys.length > 0 ? random.pick(keys) : 'nothing';
			switch (random.int(6)) {
				case 0:
				case 1:
				case 2:
					body[key] = hostileValueFor(endpoint.params.properties[key], random);
					done.push(`${key}=hostile`);
					break;
				case 3: {
					const unknown = `unknown${random.int(5)}`;
					body[unknown] = hostileValue(random);
					done.push(`${unknown}=hostile`);
					break;
				}
				case 4:
					delete body[key];
					done.push(`-${key}`);
					break;
				default: {
					// An object where a nested value is expected, or a hostile value one level down.
					const current = body[key];
					body[key] = typeof current === 'object' && current !== null && !Array.isArray(current)
						? { ...current, [random.pick(['url', 'secret', 'x'])]: hostileValueFor({ type: 'string' }, random) }
						: { [key]: hostileValue(random) };
					done.push(`${key}.nested`);
				}
			}
		}
		return done;
	}

	function generate(random: SeededRandom): FuzzRequest {
		const endpoint = random.pick(apiEndpoints);
		const roll = random.int(10);
		if (roll === 0) {
			const bad = random.pick(badBodies);
			const headers: Record<string, string> = { authorization: `Bearer ${moderatorToken}` };
			if (bad.contentType !== undefined) headers['content-type'] = bad.contentType;
			return { endpoint: endpoint.name, headers, payload: bad.payload, nonStringCredential: false, summary: `raw ${bad.contentType} ${bad.payload.slice(0, 40)}` };
		}
		const auth = credential(random);
		if (roll === 1) {
			const whole = random.pick<unknown>([[], 'string', 42, true, [{ i: moderatorToken }], hostileValue(random)]);
			return { endpoint: endpoint.name, headers: { 'content-type': 'application/json', ...auth.headers }, payload: JSON.stringify(whole) ?? 'null', nonStringCredential: false, summary: 'whole body replaced' };
		}
		const body = { ...(validValue('params', endpoint.params, fixtures, endpoint.name, random) as Record<string, unknown>), ...auth.body };
		const mutations = mutateParams(random, endpoint, body);
		return {
			endpoint: endpoint.name,
			headers: { 'content-type': 'application/json', ...auth.headers },
			payload: JSON.stringify(body),
			nonStringCredential: auth.nonString && 'i' in body && typeof body.i !== 'string' && body.i !== null,
			summary: mutations.join(' '),
		};
	}

	it('answers every one with 2xx or 4xx, each error in Misskey\'s envelope', async () => {
		const random = new SeededRandom(SEED);
		const failures: string[] = [];
		const statuses = new Map<number, number>();
		const endpointsHit = new Set<string>();
		for (let n = 0; n < REQUESTS; n++) {
			if (n > 0 && n % 150 === 0) {
				// The fuzz deletes and pauses its own fixtures now and then: start the next stretch from live ones.
				fixtures = await freshFixtures();
			}
			const request = generate(random);
			endpointsHit.add(request.endpoint);
			const response = await api.app.inject({ method: 'POST', url: `/api/${request.endpoint}`, headers: request.headers, payload: request.payload });
			statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
			const problem = judge(response.statusCode, response.body, request);
			if (problem) failures.push(`#${n} ${request.endpoint} [${request.summary}]: ${problem}`);
		}
		assert.deepEqual(failures.slice(0, 10), [], `${failures.length} bad answers (FUZZ_SEED=${SEED})`);
		assert.equal(endpointsHit.size, apiEndpoints.length, 'every endpoint was reached');
		assert.ok([...statuses.keys()].some((status) => status < 300), 'some requests got through, so handlers ran');
		assert.ok((statuses.get(400) ?? 0) > REQUESTS / 4, 'most requests were refused as they should be');
		assert.equal(api.errorLogs.length, 0, JSON.stringify(api.errorLogs.slice(0, 3)));
	});

	function judge(status: number, text: string, request: FuzzRequest): string | null {
		if (status >= 500) return `${status} ${text.slice(0, 300)}`;
		if (status < 400) return null;
		if (text === '') return status === 400 && request.nonStringCredential ? null : `${status} with an empty body`;
		let body: any;
		try {
			body = JSON.parse(text);
		} catch {
			return `${status} body is not JSON: ${text.slice(0, 100)}`;
		}
		const error = body?.error;
		const keys = ['message', 'code', 'id', 'kind'];
		if (!error || keys.some((key) => typeof error[key] !== 'string')) return `${status} not an error envelope: ${text.slice(0, 200)}`;
		if (error.code === 'INVALID_PARAM' && (typeof error.info?.param !== 'string' || typeof error.info?.reason !== 'string')) return `INVALID_PARAM without param and reason: ${text.slice(0, 200)}`;
		if (error.code === 'INTERNAL_ERROR') return `INTERNAL_ERROR ${text.slice(0, 200)}`;
		return null;
	}
});
