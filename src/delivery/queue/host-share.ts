import type { HostPace } from './host-pace.js';

/** A host's share of worker slots: `base` (`concurrencyPerTargetHost`) to start with, never more than `max`. */
export interface ShareBounds {
	base: number;
	max: number;
}

/**
 * Average latency a host must keep for its share to grow past the base, ms. A host slower than this keeps the base
 * share, so a slow receiver with a backlog never holds more slots than the base while others' jobs queue behind it.
 */
export const SHARE_GROWTH_MAX_LATENCY_MS = 250;

/**
 * A host's share after one answer. It grows by one slot per quick, good answer while jobs find it full (a fast receiver
 * with a backlog soon gets as many requests at once as it takes, as a plain queue would give it); it halves, not below
 * the base, on 429 or 5xx (the receiver says it has had enough); it falls back to the base when the host's average
 * latency climbs past `SHARE_GROWTH_MAX_LATENCY_MS`. Requests that got no answer reset it (host-gate.ts).
 */
export function nextShare(pace: HostPace & { share: number; foundFull: boolean }, status: number | undefined, bounds: ShareBounds): number {
	if (status !== undefined && (status === 429 || status >= 500)) return Math.max(bounds.base, Math.floor(pace.share / 2));
	if (pace.latencyMs > SHARE_GROWTH_MAX_LATENCY_MS) return bounds.base;
	return pace.foundFull ? Math.min(bounds.max, pace.share + 1) : pace.share;
}
