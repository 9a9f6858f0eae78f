import { randomBytes } from 'node:crypto';

// Misskey "aidx": 8 base36 chars of milliseconds since 2000-01-01, then random and counter chars, so ids sort by time.
const EPOCH_MS = 946684800000;
let counter = Math.floor(Math.random() * 36 ** 4);

/** A new time-ordered id matching Misskey's `misskey:id` format (`^[a-zA-Z0-9]+$`). */
export function generateId(now = Date.now()): string {
	const time = Math.max(0, now - EPOCH_MS).toString(36).padStart(8, '0');
	const noise = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-4);
	counter = (counter + 1) % 36 ** 4;
	return time + noise + counter.toString(36).padStart(4, '0');
}
