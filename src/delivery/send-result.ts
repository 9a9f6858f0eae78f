/** What one POST to a receiver came to: an HTTP status, or no response at all (refused, reset, DNS, TLS, timeout). */
export type SendResult =
	| { kind: 'response'; status: number }
	| { kind: 'no-response'; errorClass: string };
