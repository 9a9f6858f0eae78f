import { ApiError, commonApiErrors, type ApiErrorDefinition } from '../errors/api-errors.js';

/** How far back `recover` reaches: 14 days (Svix's recover window). */
export const RECOVER_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
/** The most deliveries one `recover` call re-sends (Svix: 10 000). */
export const RECOVER_MAX_DELIVERIES = 10_000;
/** Both recover endpoints' limit: 10 calls per hour per caller (each may queue 10 000 attempts). */
export const RECOVER_RATE_LIMIT = { durationMs: 60 * 60 * 1000, max: 10 } as const;
/** Both redeliver endpoints' limit: 60 calls per 15 minutes per caller, as the test endpoints. */
export const REDELIVER_RATE_LIMIT = { durationMs: 15 * 60 * 1000, max: 60 } as const;

/** The `since` param of both recover endpoints: epoch milliseconds, or an ISO 8601 date-time string. */
export const recoverSinceParam = {
	anyOf: [
		// The largest time a JavaScript Date holds: anything above has no date, and no database timestamp either.
		{ type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000 },
		{ type: 'string', minLength: 1, maxLength: 64 },
	],
} as const;

// A calendar date, optionally with a time and a zone: what `Date.parse` reads the same on every engine.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Reads `since`: an unparsable date is INVALID_PARAM, one more than 14 days back is `tooOld` with the
 * earliest accepted time in `info.oldestSince`.
 */
export function parseRecoverSince(since: number | string, tooOld: ApiErrorDefinition, nowMs: number = Date.now()): Date {
	const ms = typeof since === 'number' ? since : ISO_DATE_TIME.test(since) ? Date.parse(since) : Number.NaN;
	if (!Number.isFinite(ms)) throw new ApiError(commonApiErrors.invalidParam, { param: 'since', reason: 'must be epoch milliseconds or an ISO 8601 date-time' });
	const oldest = nowMs - RECOVER_WINDOW_MS;
	if (ms < oldest) throw new ApiError(tooOld, { oldestSince: new Date(oldest).toISOString() });
	return new Date(ms);
}
