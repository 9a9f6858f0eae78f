/** What a host service returns: the value, or the named reason it refused (mapped to an API error by the endpoint). */
export type Outcome<T, Reason extends string> = { ok: true; value: T } | { ok: false; reason: Reason };

/** A successful outcome. */
export function succeeded<T>(value: T): { ok: true; value: T } {
	return { ok: true, value };
}

/** A refused outcome. */
export function refused<Reason extends string>(reason: Reason): { ok: false; reason: Reason } {
	return { ok: false, reason };
}
