import type { BlockedAddressClass } from './address-guard.js';
import { BLOCKED_ADDRESS_ERROR_CLASS } from '../retry/outcome.js';

/**
 * The error a guarded connection fails with: its `code` is the machine-readable class the
 * sender reports, so nothing reads the message; `reason` is the text an operator sees.
 */
export class BlockedAddressError extends Error {
	override name = 'BlockedAddressError';
	readonly code = BLOCKED_ADDRESS_ERROR_CLASS;

	constructor(
		readonly address: string,
		readonly port: number,
		readonly addressClass: BlockedAddressClass,
		readonly reason: string,
	) {
		super(reason);
	}
}

/** The guard's error behind `error`, however deep the HTTP client wrapped it (`cause` chain), or null. */
export function blockedAddressOf(error: unknown): BlockedAddressError | null {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current !== null && typeof current === 'object' && !seen.has(current)) {
		if (current instanceof BlockedAddressError) return current;
		seen.add(current);
		current = (current as { cause?: unknown }).cause;
	}
	return null;
}
