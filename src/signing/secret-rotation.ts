/** How long a replaced secret still signs deliveries by default: 24 h, as Svix. */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** A webhook's secrets as stored: the current one and, after a change, the previous one until it expires. */
export interface SecretRotationState {
	secret: string;
	previousSecret?: string | null;
	previousSecretExpiresAt?: Date | null;
}

/**
 * The secrets a delivery made at `now` signs with, newest first: the current secret, then the
 * previous one while its grace period runs, so receivers still holding either verify during a rotation. Empty
 * secrets and a previous secret equal to the current one are left out.
 */
export function secretsInForce(state: SecretRotationState, now: Date): string[] {
	const secrets = state.secret === '' ? [] : [state.secret];
	const previous = state.previousSecret;
	const expiresAt = state.previousSecretExpiresAt;
	const previousInForce = previous != null && previous !== '' && previous !== state.secret
		&& expiresAt != null && expiresAt.getTime() > now.getTime();
	if (previousInForce) secrets.push(previous);
	return secrets;
}

/**
 * The stored fields after the secret changes to `newSecret` at `now`: the replaced secret becomes
 * the previous one for `graceMs`, also when the new secret is empty, so receivers are not cut off mid-rotation.
 * Setting the same secret again changes nothing; replacing an empty secret leaves no previous one; a second change
 * within the grace period keeps only the secret replaced last (one previous secret is stored).
 */
export function rotateSecret(
	state: SecretRotationState,
	newSecret: string,
	now: Date,
	graceMs: number = SECRET_ROTATION_GRACE_MS,
): Required<SecretRotationState> {
	if (newSecret === state.secret) {
		return { secret: state.secret, previousSecret: state.previousSecret ?? null, previousSecretExpiresAt: state.previousSecretExpiresAt ?? null };
	}
	if (state.secret === '') return { secret: newSecret, previousSecret: null, previousSecretExpiresAt: null };
	return { secret: newSecret, previousSecret: state.secret, previousSecretExpiresAt: new Date(now.getTime() + graceMs) };
}
