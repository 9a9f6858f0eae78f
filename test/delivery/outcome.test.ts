import assert from 'node:assert/strict';
import { BLOCKED_ADDRESS_ERROR_CLASS, classifyDelivery, NO_RESPONSE_STATUS, type DeliveryOutcome } from '../../src/delivery/retry/outcome.js';

const now = () => Date.UTC(2025, 9, 1, 12, 0, 0);

function ofStatus(status: number, retryAfter?: string): DeliveryOutcome {
	return classifyDelivery(retryAfter === undefined ? { kind: 'response', status } : { kind: 'response', status, retryAfter }, now);
}

describe('classifying an attempt (docs/retries.md)', () => {
	it('every 2xx is delivered with its status', () => {
		for (const status of [200, 201, 202, 204, 299]) assert.deepEqual(ofStatus(status), { kind: 'delivered', status });
	});

	// [status, kind, reason]
	const table: Array<[number, DeliveryOutcome['kind'], string]> = [
		[301, 'retry', '301 Moved Permanently'],
		[302, 'retry', '302 Found'],
		[303, 'retry', '303 See Other'],
		[304, 'retry', '304 Not Modified'],
		[307, 'retry', '307 Temporary Redirect'],
		[308, 'retry', '308 Permanent Redirect'],
		[400, 'final', '400 Bad Request'],
		[401, 'final', '401 Unauthorized'],
		[403, 'final', '403 Forbidden'],
		[404, 'final', '404 Not Found'],
		[405, 'final', '405 Method Not Allowed'],
		[408, 'retry', '408 Request Timeout'],
		[410, 'disable', '410 Gone'],
		[413, 'final', '413 Payload Too Large'],
		[422, 'final', '422 Unprocessable Entity'],
		[429, 'retry', '429 Too Many Requests'],
		[451, 'final', '451 Unavailable For Legal Reasons'],
		[499, 'final', '499 Unknown'],
		[500, 'retry', '500 Internal Server Error'],
		[501, 'retry', '501 Not Implemented'],
		[502, 'retry', '502 Bad Gateway'],
		[503, 'retry', '503 Service Unavailable'],
		[504, 'retry', '504 Gateway Timeout'],
		[599, 'retry', '599 Unknown'],
		[199, 'retry', '199 Unknown'],
		[600, 'retry', '600 Unknown'],
	];
	const verbs = { delivered: 'is delivered', retry: 'is retried', final: 'is final', disable: 'disables the webhook' };
	for (const [status, kind, reason] of table) {
		it(`a ${status} ${verbs[kind]}, with code and reason phrase`, () => {
			const outcome = ofStatus(status);
			assert.equal(outcome.kind, kind);
			assert.equal(outcome.status, status);
			assert.equal('reason' in outcome ? outcome.reason : undefined, reason);
		});
	}

	it('a redirect is a failure, never followed: 3xx is retried with its own status', () => {
		assert.deepEqual(ofStatus(302), { kind: 'retry', status: 302, reason: '302 Found', throttle: false });
	});

	it('a 408 is retried, unlike Misskey', () => {
		assert.deepEqual(ofStatus(408), { kind: 'retry', status: 408, reason: '408 Request Timeout', throttle: false });
	});

	it('a 410 Gone disables the webhook at once', () => {
		assert.deepEqual(ofStatus(410), { kind: 'disable', status: 410, reason: '410 Gone' });
		assert.deepEqual(ofStatus(410, '60'), { kind: 'disable', status: 410, reason: '410 Gone' });
	});

	it('a 429 is retried and throttled', () => {
		assert.deepEqual(ofStatus(429), { kind: 'retry', status: 429, reason: '429 Too Many Requests', throttle: true });
	});

	it('a 5xx is retried without throttle', () => {
		for (const status of [500, 502, 503, 504]) assert.equal((ofStatus(status) as { throttle: boolean }).throttle, false);
	});
});

describe('classifying an attempt: Retry-After', () => {
	// [status, Retry-After, retryAfterMs]
	const carried: Array<[number, string, number]> = [
		[429, '120', 120_000],
		[503, '0', 0],
		[500, ' 30 ', 30_000],
		[502, 'Wed, 01 Oct 2025 12:05:00 GMT', 300_000],
		[504, 'Wed, 01 Oct 2025 11:00:00 GMT', 0],
		[429, 'Wednesday, 01-Oct-25 12:00:10 GMT', 10_000],
		[503, 'Wed Oct  1 12:01:00 2025', 60_000],
	];
	for (const [status, header, retryAfterMs] of carried) {
		it(`a ${status} with Retry-After "${header}" asks for ${retryAfterMs} ms`, () => {
			assert.equal((ofStatus(status, header) as { retryAfterMs?: number }).retryAfterMs, retryAfterMs);
		});
	}

	const garbage = ['', 'soon', '-5', '1.5', '5s', '0x10', 'Wed, 32 Oct 2025 12:00:00 GMT', 'Wed, 01 Oct 2025 25:00:00 GMT', '2025-10-01T12:05:00Z'];
	for (const header of garbage) {
		it(`a Retry-After of "${header}" is ignored`, () => {
			const outcome = ofStatus(503, header);
			assert.equal(outcome.kind, 'retry');
			assert.ok(!('retryAfterMs' in outcome), JSON.stringify(outcome));
		});
	}

	it('a Retry-After on a final or redirect status is not carried', () => {
		assert.deepEqual(ofStatus(400, '60'), { kind: 'final', status: 400, reason: '400 Bad Request' });
		assert.deepEqual(ofStatus(301, '60'), { kind: 'retry', status: 301, reason: '301 Moved Permanently', throttle: false });
	});

	it('an HTTP-date is measured against the injected clock', () => {
		const later = () => Date.UTC(2025, 9, 1, 12, 4, 0);
		const outcome = classifyDelivery({ kind: 'response', status: 503, retryAfter: 'Wed, 01 Oct 2025 12:05:00 GMT' }, later);
		assert.equal((outcome as { retryAfterMs?: number }).retryAfterMs, 60_000);
	});
});

describe('classifying an attempt without response', () => {
	// [errorClass, kind, throttle]
	const table: Array<[string, DeliveryOutcome['kind'], boolean | undefined]> = [
		['ECONNREFUSED', 'retry', false],
		['ECONNRESET', 'retry', false],
		['ENOTFOUND', 'retry', false],
		['ERR_TLS_CERT_ALTNAME_INVALID', 'retry', false],
		['timeout', 'retry', true],
		['ETIMEDOUT', 'retry', true],
		[BLOCKED_ADDRESS_ERROR_CLASS, 'final', undefined],
	];
	for (const [errorClass, kind, throttle] of table) {
		it(`${errorClass} is ${kind}${throttle ? ' and throttled' : ''}, with status 1 and the class as reason`, () => {
			const outcome = classifyDelivery({ kind: 'no-response', errorClass });
			const expected = throttle === undefined ? { kind, status: NO_RESPONSE_STATUS, reason: errorClass } : { kind, status: NO_RESPONSE_STATUS, reason: errorClass, throttle };
			assert.deepEqual(outcome, expected);
		});
	}

	it('a blocked address is final, never retried, and its reason says which address', () => {
		assert.equal(BLOCKED_ADDRESS_ERROR_CLASS, 'blocked-address');
		const outcome = classifyDelivery({ kind: 'no-response', errorClass: 'blocked-address', reason: '127.0.0.1 is loopback' });
		assert.deepEqual(outcome, { kind: 'final', status: NO_RESPONSE_STATUS, reason: 'blocked-address: 127.0.0.1 is loopback' });
	});

	it("the sender's detail follows the error class in a retried attempt's reason", () => {
		const outcome = classifyDelivery({ kind: 'no-response', errorClass: 'ECONNRESET', reason: 'socket hang up' });
		assert.deepEqual(outcome, { kind: 'retry', status: NO_RESPONSE_STATUS, reason: 'ECONNRESET: socket hang up', throttle: false });
	});

	it('the status of an attempt without response is 1', () => {
		assert.equal(NO_RESPONSE_STATUS, 1);
	});
});
