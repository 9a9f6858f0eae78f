import type { WebhookEntity } from '../store/webhook.entity.js';
import { defineEndpoint, type Endpoint, type EndpointContext, type PermissionKind } from './endpoint.js';
import { ApiError, type ApiErrorDefinition } from './errors/api-errors.js';
import { oneWebhookParams } from './params/delivery-endpoint-params.js';

/** An `i/webhooks/*` endpoint that acts on one of the caller's webhooks, named by `webhookId`. */
export interface OwnWebhookEndpointSpec<Result> {
	name: string;
	kind: PermissionKind;
	/** The endpoint's own NO_SUCH_WEBHOOK, answered for no webhook and for another user's alike. */
	noSuchWebhook: ApiErrorDefinition;
	/** Reads (or removes) the webhook as the caller's: null when they own none by that id. */
	take(webhookId: string, ctx: EndpointContext): Promise<WebhookEntity | null>;
	answer(row: WebhookEntity, ctx: EndpointContext): Promise<Result | undefined>;
}

/** Declares an endpoint on one of the caller's webhooks (`i/webhooks/show`, `delete`). */
export function defineOwnWebhookEndpoint<Result>(spec: OwnWebhookEndpointSpec<Result>): Endpoint<typeof oneWebhookParams, Result, true> {
	return defineEndpoint({
		name: spec.name,
		kind: spec.kind,
		requireCredential: true,
		params: oneWebhookParams,
		errors: { noSuchWebhook: spec.noSuchWebhook },
		async handler(params, ctx) {
			const row = await spec.take(params.webhookId, ctx);
			if (!row) throw new ApiError(spec.noSuchWebhook);
			return spec.answer(row, ctx);
		},
	});
}
