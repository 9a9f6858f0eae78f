/**
 * How fast one target host answers, as one worker process measures it: its moving average latency, its quickest recent
 * round trip, and when a request last finished. The host gate reads it to space a host's line, to tell a stalled host
 * from a slow one, and to decide how many jobs may wait in their slots for a fast one.
 */
export interface HostPace {
	inFlight: number;
	answering: boolean;
	/** Moving average of answered attempts' duration, ms. */
	latencyMs: number;
	/**
	 * What the host takes when nothing else slows the round trip, ms: the quickest recent answer, rising slowly. A busy
	 * worker process stretches every round trip; this is the host's own pace, which decides how many jobs may wait.
	 */
	quickestMs: number;
	/** When a request to this host last finished (or the first one started). */
	lastFinishAt: number;
}

/**
 * A host that answers but has let this many of its usual latencies (at least `MIN_STALL_MS`) pass without finishing a
 * request is treated as stalled: its jobs step aside as for a host that does not answer, not every few ms.
 */
const STALL_LATENCIES = 4;
const MIN_STALL_MS = 250;

/**
 * A job of a receiver that answers within `MAX_WAITED_LATENCY_MS` on average, found at its limit, may wait in its slot
 * for that receiver's next free slot instead of a round trip through the delayed set: as many jobs wait as the receiver,
 * at its pace, gets to within `WAIT_HORIZON_MS` or one latency (at least one per slot); each gives up after
 * `WAIT_LATENCIES` times its expected turn (at least one latency, at least `MIN_WAIT_MS`).
 */
const WAIT_LATENCIES = 2;
const MAX_WAITED_LATENCY_MS = 500;
const WAIT_HORIZON_MS = 1000;
const MIN_WAIT_MS = 20;

/** Weight of the newest answered attempt in a host's moving average latency. */
const LATENCY_WEIGHT = 0.2;
/** How fast a host's quickest latency follows slower answers (a quicker one lowers it at once). */
const QUICKEST_RISE_WEIGHT = 0.05;

/** Takes an answered attempt's duration into the averages; its first answer sets both. */
export function recordAnswer(pace: HostPace, durationMs: number): void {
	const wasAnswering = pace.answering;
	pace.latencyMs = wasAnswering ? pace.latencyMs + LATENCY_WEIGHT * (durationMs - pace.latencyMs) : durationMs;
	pace.quickestMs = wasAnswering && durationMs > pace.quickestMs ? pace.quickestMs + QUICKEST_RISE_WEIGHT * (durationMs - pace.quickestMs) : durationMs;
	pace.answering = true;
}

export function stalled(pace: HostPace, now: number): boolean {
	return pace.inFlight > 0 && now - pace.lastFinishAt > Math.max(STALL_LATENCIES * pace.latencyMs, MIN_STALL_MS);
}

/** It answers, within `MAX_WAITED_LATENCY_MS` on average, and it has finished a request lately. */
export function answersFast(pace: HostPace, now: number): boolean {
	return pace.answering && pace.latencyMs <= MAX_WAITED_LATENCY_MS && !stalled(pace, now);
}

/**
 * How many jobs may wait in their slots for this host with `slots` slots: what it gets to at its own pace within the
 * horizon (a host that answers in 2 ms gets a backlog's worth, one at 400 ms 2.5 per slot).
 */
export function waitersAllowed(pace: HostPace, slots: number): number {
	return Math.floor((slots * Math.max(WAIT_HORIZON_MS, pace.quickestMs)) / Math.max(1, pace.quickestMs));
}

/** How long the waiter at `index` waits for its turn before it steps aside, ms. */
export function waitLimitMs(pace: HostPace, index: number, slots: number): number {
	const turnMs = Math.max(pace.latencyMs, ((index + 1) * pace.latencyMs) / slots);
	return Math.max(MIN_WAIT_MS, WAIT_LATENCIES * turnMs);
}
