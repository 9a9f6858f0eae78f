import assert from 'node:assert/strict';
import { parseHttpDateMs, parseRetryAfterMs } from '../../src/delivery/retry/retry-after.js';

const nowMs = Date.UTC(2025, 9, 1, 12, 0, 0);

describe('reading a Retry-After value: delta-seconds or any HTTP-date form', () => {
	// [header, ms to wait]
	const valid: Array<[string, number]> = [
		['0', 0],
		['120', 120_000],
		['\t45 ', 45_000],
		['86400000', 86_400_000_000],
		['Wed, 01 Oct 2025 12:00:30 GMT', 30_000],
		['Wed, 01 Oct 2025 11:59:59 GMT', 0],
		['Wednesday, 01-Oct-25 12:01:00 GMT', 60_000],
		['Wed Oct  1 12:02:00 2025', 120_000],
		['Wed Oct 01 12:02:00 2025', 120_000],
		['Wed, 01 Oct 2025 12:00:60 GMT', 60_000],
	];
	for (const [header, expected] of valid) {
		it(`"${header}" asks for ${expected} ms`, () => assert.equal(parseRetryAfterMs(header, nowMs), expected));
	}

	const invalid = [
		'',
		' ',
		'-1',
		'+5',
		'1e3',
		'2.5',
		'120 seconds',
		'tomorrow',
		'01 Oct 2025 12:00:30 GMT',
		'Wed, 01 Oct 2025 12:00:30 UTC',
		'Wed, 01 Okt 2025 12:00:30 GMT',
		'Wed, 29 Feb 2025 12:00:30 GMT',
		'Wed, 00 Oct 2025 12:00:30 GMT',
		'Wed, 01 Oct 2025 12:60:00 GMT',
		'2025-10-01T12:00:30Z',
	];
	it('no value at all is no Retry-After', () => assert.equal(parseRetryAfterMs(undefined, nowMs), undefined));
	for (const header of invalid) {
		it(`"${header}" is not a Retry-After value`, () => assert.equal(parseRetryAfterMs(header, nowMs), undefined));
	}

	it('a bare number is delta-seconds, never an epoch', () => {
		assert.equal(parseRetryAfterMs('1759320030', nowMs), 1_759_320_030_000);
	});

	it('a two-digit year more than 50 years ahead means the previous century', () => {
		assert.equal(parseHttpDateMs('Sunday, 06-Nov-94 08:49:37 GMT', nowMs), Date.UTC(1994, 10, 6, 8, 49, 37));
		assert.equal(parseHttpDateMs('Friday, 01-Jan-60 00:00:00 GMT', nowMs), Date.UTC(2060, 0, 1));
		assert.equal(parseHttpDateMs('Sunday, 01-Jan-79 00:00:00 GMT', nowMs), Date.UTC(1979, 0, 1));
	});

	it('a leap day is a date in a leap year only', () => {
		assert.equal(parseHttpDateMs('Thu, 29 Feb 2024 00:00:00 GMT', nowMs), Date.UTC(2024, 1, 29));
		assert.equal(parseHttpDateMs('Sat, 29 Feb 2025 00:00:00 GMT', nowMs), undefined);
	});
});
