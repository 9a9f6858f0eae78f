import { randomInt } from 'node:crypto';

// Misskey "aid": 8 base36 chars of milliseconds since 2000-01-01, then 2 chars of a counter seeded at random,
// so ids sort by creation time and need no createdAt to be ordered.
const AID_EPOCH_MS = Date.UTC(2000, 0, 1);
const COUNTER_SPAN = 36 ** 2;
let counter = randomInt(COUNTER_SPAN);

/** A new Misskey-style time-ordered id (format `misskey:id`). */
export function generateHostId(now: Date = new Date()): string {
	counter = (counter + 1) % COUNTER_SPAN;
	const time = Math.max(0, now.getTime() - AID_EPOCH_MS).toString(36).padStart(8, '0');
	return time + counter.toString(36).padStart(2, '0');
}
