// SQLSTATE classes that say the database could not do the work right now, not that the statement is wrong:
// 08 connection exception, 40 transaction rollback (serialization, deadlock), 53 insufficient resources,
// 57 operator intervention (shutdown, termination), 58 system error.
const TRANSIENT_SQLSTATE_CLASSES: readonly string[] = ['08', '40', '53', '57', '58'];

/**
 * Whether a failed database write may succeed when tried again (PostgreSQL briefly
 * down). Judged by the SQLSTATE the server reported, never by message text. An error the server did not report (it
 * carries no `severity`: refused, reset or terminated connections) is the connection's, and transient too; a
 * statement the server rejects is not.
 */
export function isTransientDatabaseError(error: unknown): boolean {
	const reported = serverErrorOf(error);
	if (!reported) return true;
	return TRANSIENT_SQLSTATE_CLASSES.includes(reported.code.slice(0, 2));
}

/** The SQLSTATE the server reported for a failed statement (`23503` foreign key violation, ...), or null. */
export function sqlStateOf(error: unknown): string | null {
	return serverErrorOf(error)?.code ?? null;
}

// TypeORM wraps the driver's error (QueryFailedError.driverError) and copies its fields; either carries them.
function serverErrorOf(error: unknown): { code: string } | null {
	for (const candidate of [(error as { driverError?: unknown } | null)?.driverError, error]) {
		const { severity, code } = (candidate ?? {}) as { severity?: unknown; code?: unknown };
		if (typeof severity === 'string' && typeof code === 'string') return { code };
	}
	return null;
}

/** One line's worth of an error, for the logger. */
export function describeError(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
