/**
 * Reads until `accept` takes the value, every `intervalMs`; past `timeoutMs` fails with `what` and the last value read.
 * The one poll of the suites: state that settles on its own (rows, queues, registry indexes, logs) is waited for with it.
 */
export async function eventually<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000, what = 'condition', intervalMs = 20): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (accept(value)) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms; last value: ${shown(value)}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** Waits until `check` holds (in-memory state another task updates). */
export async function eventuallyTrue(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	await eventually(check, (holds) => holds, timeoutMs, what, 2);
}

function shown(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		// Queue jobs and the like refer to themselves.
		return String(value);
	}
}
