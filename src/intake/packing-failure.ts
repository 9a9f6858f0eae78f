/**
 * What a host's packer throws when the thing to pack is gone for good (the note or user was deleted): the event's body
 * for that recipient is given up, logged. Any other failure (the database briefly away, a timeout) is retried.
 */
export class EntityGoneError extends Error {
	// The name logs and `lastError` show; hosts' own errors of this name count too (see below).
	override name = 'NotFound';
}

/** Whether a packing failure will not heal by trying again: the host's `EntityGoneError` (or any error named `NotFound`), or TypeORM's `EntityNotFoundError`. */
export function isGoneForGood(error: unknown): boolean {
	const name = (error as { name?: unknown } | null)?.name;
	return error instanceof EntityGoneError || name === 'NotFound' || name === 'EntityNotFoundError';
}
