/** Thrown when a check took longer than it may. */
export class TimedOut extends Error {
	override name = 'TimedOut';
}

/**
 * `work`, or a rejection with `TimedOut` once `ms` have passed, whichever comes first. The work itself keeps running
 * (a query or a Redis command cannot be called back); the caller just stops waiting for it.
 */
export async function withTimeout<Value>(work: () => Promise<Value>, ms: number, what: string): Promise<Value> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TimedOut(`${what} took longer than ${ms} ms`)), ms);
	});
	try {
		// A synchronous throw of `work` becomes a rejection like any other.
		return await Promise.race([Promise.resolve().then(work), timeout]);
	} finally {
		clearTimeout(timer);
	}
}
