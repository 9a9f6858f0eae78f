import type { EventBodies } from '../../events/catalogue.js';

export type { EventBodies } from '../../events/catalogue.js';

/** One event to render: its type and its body, typed together. */
export type WebhookEvent = { [Type in keyof EventBodies]: { type: Type; body: EventBodies[Type] } }[keyof EventBodies];

/** What every rendering knows besides the event: the server it happened on and when the delivery was made. */
export interface RenderContext {
	/** The server's origin, without trailing slash (the envelope's `server`). */
	serverUrl: string;
	/** The job's enqueue time, epoch milliseconds (the envelope's `createdAt`): the same on every retry. */
	createdAt: number;
}
