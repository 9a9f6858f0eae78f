import assert from 'node:assert/strict';
import { classifyDelivery, NO_RESPONSE_STATUS } from '../../src/delivery/outcome.js';

describe('classifying an attempt (§8.3)', () => {
	it('every 2xx is delivered with its status', () => {
		for (const status of [200, 201, 202, 204, 299]) assert.deepEqual(classifyDelivery({ kind: 'response', status }), { kind: 'delivered', status });
	});

	it('4xx except 429 is final, 408 included, with code and reason phrase', () => {
		assert.deepEqual(classifyDelivery({ kind: 'response', status: 408 }), { kind: 'final', status: 408, reason: '408 Request Timeout' });
		assert.deepEqual(classifyDelivery({ kind: 'response', status: 410 }), { kind: 'final', status: 410, reason: '410 Gone' });
		for (const status of [400, 401, 403, 404, 422, 451, 499]) assert.equal(classifyDelivery({ kind: 'response', status }).kind, 'final');
	});

	it('429 is retried', () => {
		assert.deepEqual(classifyDelivery({ kind: 'response', status: 429 }), { kind: 'retry', status: 429, reason: '429 Too Many Requests' });
	});

	it('5xx is retried', () => {
		for (const status of [500, 501, 502, 503, 504, 599]) assert.equal(classifyDelivery({ kind: 'response', status }).kind, 'retry');
	});

	it('a redirect is not followed: 3xx is retried as another non-2xx with its own status', () => {
		assert.deepEqual(classifyDelivery({ kind: 'response', status: 302 }), { kind: 'retry', status: 302, reason: '302 Found' });
		for (const status of [301, 303, 304, 307, 308]) assert.equal(classifyDelivery({ kind: 'response', status }).kind, 'retry');
	});

	it('an informational or unknown status is retried', () => {
		assert.deepEqual(classifyDelivery({ kind: 'response', status: 199 }), { kind: 'retry', status: 199, reason: '199 Unknown' });
		assert.equal(classifyDelivery({ kind: 'response', status: 600 }).kind, 'retry');
	});

	it('no response is retried with status 1 and the error class as reason', () => {
		assert.deepEqual(classifyDelivery({ kind: 'no-response', errorClass: 'ECONNREFUSED' }), { kind: 'retry', status: NO_RESPONSE_STATUS, reason: 'ECONNREFUSED' });
		assert.equal(NO_RESPONSE_STATUS, 1);
	});
});
