// Generated from schemas/webhook-delivery.json by npm run generate; do not edit.
/**
 * One delivery of one event to one webhook, as the delivery API lists it (ours): its state and schedule, never the secret.
 */
export interface WebhookDelivery {
	id: string;
	webhookId: string;
	/**
	 * The envelope's eventId and the `webhook-id` header: the same on every attempt, redeliveries included.
	 */
	eventId: string;
	/**
	 * The event type (`note`, `follow`, ..., or a system event type).
	 */
	type: string;
	/**
	 * Where the delivery was first sent (a redelivery goes to the webhook's URL as it is then).
	 */
	url: string;
	/**
	 * pending: attempts still scheduled; delivered: an attempt got a 2xx; failed: the schedule ended without one.
	 */
	status: 'pending' | 'delivered' | 'failed';
	/**
	 * Attempts made so far, scheduled and manual.
	 */
	attemptCount: number;
	/**
	 * Attempts the retry schedule allows; manual attempts come on top.
	 */
	maxAttempts: number;
	retryPolicy: 'standard' | 'misskey';
	/**
	 * When the event was queued (the envelope's createdAt).
	 */
	createdAt: string;
	/**
	 * When the next scheduled attempt is due; null once finished.
	 */
	nextAttemptAt: string | null;
	lastAttemptAt: string | null;
	/**
	 * HTTP status of the last attempt; 1 when it got no response.
	 */
	lastStatus: number | null;
	finishedAt: string | null;
}
