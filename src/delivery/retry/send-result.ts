/** What one POST to a receiver came to: an HTTP status, or no response at all (refused, reset, DNS, TLS, timeout). */
export type SendResult =
	| { kind: 'response'; status: number; /** The raw `Retry-After` header, when the receiver sent one. */ retryAfter?: string; /** The body's first 2 KB as UTF-8 text (attempt log); absent for an empty body. */ bodyPrefix?: string; /** The receiver is on a private address: its body is not kept (`showPrivateNetworkAnswers`). */ answerWithheld?: true }
	| { kind: 'no-response'; errorClass: string; /** Says more than the class where there is more to say, e.g. which address the guard blocked. */ reason?: string };
