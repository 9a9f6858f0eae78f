/** The named retry schedules a webhook can use; the schedules themselves are in `delivery/retry/retry-policy.ts`. */
export const RETRY_POLICY_NAMES = ['misskey', 'standard'] as const;

export type RetryPolicyName = (typeof RETRY_POLICY_NAMES)[number];

/** Whether a value names a retry schedule, for options and stored columns. */
export function isRetryPolicyName(value: unknown): value is RetryPolicyName {
	return typeof value === 'string' && (RETRY_POLICY_NAMES as readonly string[]).includes(value);
}
