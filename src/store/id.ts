import { randomBytes } from 'node:crypto';

// Misskey "aidx": 8 base36 chars of milliseconds since 2000-01-01, a per-process node id and a counter,
// so ids made by one process sort in creation order even within one millisecond.
const EPOCH_MS = 946684800000;
const COUNTER_SPAN = 36 ** 4;
const nodeId = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-4);
let counter = Math.floor(Math.random() * COUNTER_SPAN);
let lastTime = '';

/** A new time-ordered id matching Misskey's `misskey:id` format (`^[a-zA-Z0-9]+$`). */
export function generateId(now = Date.now()): string {
	const time = Math.max(0, now - EPOCH_MS).toString(36).padStart(8, '0');
	if (time !== lastTime) {
		lastTime = time;
		counter = 0;
	} else {
		counter = (counter + 1) % COUNTER_SPAN;
	}
	return time + nodeId + counter.toString(36).padStart(4, '0');
}
