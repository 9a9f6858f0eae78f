// Generated from schemas/webhook-delivery-attempt.json by npm run generate; do not edit.
/**
 * One attempt of a delivery (ours; Svix's MessageAttemptOut): when, how long, what came back.
 */
export interface WebhookDeliveryAttempt {
	id: string;
	/**
	 * 1 for the delivery's first attempt; a manual attempt takes the next number.
	 */
	number: number;
	/**
	 * scheduled: the retry schedule; manual: a redelivery asked for through the API.
	 */
	trigger: 'scheduled' | 'manual';
	startedAt: string;
	durationMs: number;
	/**
	 * The HTTP status; null when there was no response.
	 */
	status: number | null;
	/**
	 * Why there was no response: `timeout`, `ECONNREFUSED`, `ECONNRESET`, `blocked-address`, ...; null when there was one.
	 */
	errorClass: string | null;
	/**
	 * The outcome in words (`503 Service Unavailable`); null when delivered.
	 */
	reason: string | null;
	/**
	 * The response body's first 2 KB as text; null when there was no response.
	 */
	responseBody: string | null;
	/**
	 * When the attempt after this one was due; null when none followed.
	 */
	nextAttemptAt: string | null;
}
