import type { WebhookDeliveryEntity } from '../store/webhook-delivery.entity.js';
import type { WebhookDeliveryAttemptEntity } from '../store/webhook-delivery-attempt.entity.js';
import type { WebhookEntity } from '../store/webhook.entity.js';
import type { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import type { AttemptStore } from '../store/attempt-store.js';
import type { WebhookKindName } from '../core/webhook-kind.js';
import type { WebhookDelivery } from '../generated/webhook-delivery.js';
import type { WebhookDeliveryDetail } from '../generated/webhook-delivery-detail.js';
import { defineEndpoint, defineModeratorEndpoint, type Endpoint, type EndpointContext, type PermissionKind } from './endpoint.js';
import { ApiError, type ApiErrorDefinition } from './errors/api-errors.js';
import type { FromSchema } from './params/params-schema.js';
import { listDeliveriesParams, oneDeliveryParams, oneWebhookParams } from './params/delivery-endpoint-params.js';
import {
	packWebhookDelivery,
	packWebhookDeliveryDetail,
	packWebhookDeliveryDetailForModerators,
	packWebhookDeliveryForModerators,
} from './packing/pack-webhook-delivery.js';

/**
 * A delivery log as one audience reads it: which webhooks it may name, which deliveries it may see, and how rows are
 * packed for it. A webhook or delivery the audience may not see looks missing, with the endpoint's own error.
 */
export interface DeliveryLogAudience<Webhook extends { id: string }> {
	kind: WebhookKindName;
	log(ctx: EndpointContext): { deliveries: DeliveryStore; attempts: AttemptStore };
	findWebhook(ctx: EndpointContext, webhookId: string): Promise<Webhook | null>;
	sees(ctx: EndpointContext, row: WebhookDeliveryEntity): boolean;
	pack(row: WebhookDeliveryEntity): WebhookDelivery;
	packDetail(row: WebhookDeliveryEntity, attempts: readonly WebhookDeliveryAttemptEntity[]): WebhookDeliveryDetail;
}

/** A user reading their own webhooks' log (`i/webhooks/deliveries/*`): another user's webhook looks missing. */
export const ownersDeliveryLog: DeliveryLogAudience<WebhookEntity> = {
	kind: 'user',
	log: (ctx) => ctx.delivery,
	findWebhook: (ctx, webhookId) => ctx.store.findOwned(webhookId, ctx.me.user.id),
	sees: (ctx, row) => row.webhookKind === 'user' && row.userId === ctx.me.user.id,
	pack: packWebhookDelivery,
	packDetail: packWebhookDeliveryDetail,
};

/** Moderators reading any user webhook's log (`admin/webhooks/deliveries/*`), its URL redacted. */
export const moderatorsUserDeliveryLog: DeliveryLogAudience<WebhookEntity> = {
	kind: 'user',
	log: (ctx) => ctx.delivery,
	findWebhook: (ctx, webhookId) => ctx.store.findById(webhookId),
	sees: (_ctx, row) => row.webhookKind === 'user',
	pack: packWebhookDeliveryForModerators,
	packDetail: packWebhookDeliveryDetailForModerators,
};

/** Moderators reading a system webhook's log (`admin/system-webhook/deliveries/*`). */
export const moderatorsSystemDeliveryLog: DeliveryLogAudience<SystemWebhookEntity> = {
	kind: 'system',
	log: (ctx) => ctx.systemDelivery,
	findWebhook: (ctx, webhookId) => ctx.systemStore.findById(webhookId),
	sees: (_ctx, row) => row.webhookKind === 'system',
	pack: packWebhookDelivery,
	packDetail: packWebhookDeliveryDetail,
};

/** The webhook named, if the audience may see it; else `missing`. */
export async function seenWebhook<Webhook extends { id: string }>(audience: DeliveryLogAudience<Webhook>, ctx: EndpointContext, webhookId: string, missing: ApiErrorDefinition): Promise<Webhook> {
	const webhook = await audience.findWebhook(ctx, webhookId);
	if (!webhook) throw new ApiError(missing);
	return webhook;
}

/** The delivery named, if the audience may see it; else `missing`. */
export async function seenDelivery(audience: DeliveryLogAudience<{ id: string }>, ctx: EndpointContext, deliveryId: string, missing: ApiErrorDefinition): Promise<WebhookDeliveryEntity> {
	const row = await audience.log(ctx).deliveries.findById(deliveryId);
	if (!row || !audience.sees(ctx, row)) throw new ApiError(missing);
	return row;
}

/** `deliveries/list`: a webhook's deliveries, newest first, filtered and paginated as the params say. */
function listDeliveries(audience: DeliveryLogAudience<{ id: string }>, noSuchWebhook: ApiErrorDefinition) {
	return async (params: FromSchema<typeof listDeliveriesParams>, ctx: EndpointContext) => {
		const webhook = await seenWebhook(audience, ctx, params.webhookId, noSuchWebhook);
		const rows = await audience.log(ctx).deliveries.listByWebhook(audience.kind, webhook.id, { status: params.status, limit: params.limit, sinceId: params.sinceId, untilId: params.untilId });
		return rows.map((row) => audience.pack(row));
	};
}

/** `deliveries/stats`: a webhook's attempts counted per hour and per day. */
function deliveryStats(audience: DeliveryLogAudience<{ id: string }>, noSuchWebhook: ApiErrorDefinition) {
	return async (params: FromSchema<typeof oneWebhookParams>, ctx: EndpointContext) => {
		const webhook = await seenWebhook(audience, ctx, params.webhookId, noSuchWebhook);
		return audience.log(ctx).deliveries.stats(audience.kind, webhook.id);
	};
}

/** `deliveries/show`: one delivery with its body and every attempt, first to last. */
function showDelivery(audience: DeliveryLogAudience<{ id: string }>, noSuchDelivery: ApiErrorDefinition) {
	return async (params: FromSchema<typeof oneDeliveryParams>, ctx: EndpointContext) => {
		const row = await seenDelivery(audience, ctx, params.deliveryId, noSuchDelivery);
		return audience.packDetail(row, await audience.log(ctx).attempts.listByDelivery(row.id));
	};
}

/** How one audience's `deliveries/list`, `show` and `stats` are declared: where, with which permission, which errors. */
export interface DeliveryLogEndpointsSpec {
	/** The endpoints' common path, e.g. `i/webhooks/deliveries`. */
	path: string;
	kind: PermissionKind;
	/** Moderators' endpoints take only a moderator's own token; the owners' any token of the user with `kind`. */
	moderators: boolean;
	audience: DeliveryLogAudience<{ id: string }>;
	/** The name the endpoints give their missing-webhook error, as their siblings do (`noSuchWebhook`, `noSuchSystemWebhook`). */
	noSuchWebhookName: string;
	errors: { noSuchWebhookOnList: ApiErrorDefinition; noSuchWebhookOnStats: ApiErrorDefinition; noSuchDeliveryOnShow: ApiErrorDefinition };
}

/** One audience's read endpoints of the delivery log, each with its own name and error ids. */
export function defineDeliveryLogEndpoints(spec: DeliveryLogEndpointsSpec) {
	const define = <const Params extends typeof listDeliveriesParams | typeof oneWebhookParams | typeof oneDeliveryParams, Result>(endpoint: Omit<Endpoint<Params, Result, true>, 'kind' | 'requireCredential'>): Endpoint<Params, Result, true> =>
		spec.moderators ? defineModeratorEndpoint({ ...endpoint, kind: spec.kind }) : defineEndpoint({ ...endpoint, kind: spec.kind, requireCredential: true });
	const { errors, audience } = spec;
	return {
		list: define({
			name: `${spec.path}/list`,
			params: listDeliveriesParams,
			errors: { [spec.noSuchWebhookName]: errors.noSuchWebhookOnList },
			handler: listDeliveries(audience, errors.noSuchWebhookOnList),
		}),
		show: define({
			name: `${spec.path}/show`,
			params: oneDeliveryParams,
			errors: { noSuchDelivery: errors.noSuchDeliveryOnShow },
			handler: showDelivery(audience, errors.noSuchDeliveryOnShow),
		}),
		stats: define({
			name: `${spec.path}/stats`,
			params: oneWebhookParams,
			errors: { [spec.noSuchWebhookName]: errors.noSuchWebhookOnStats },
			handler: deliveryStats(audience, errors.noSuchWebhookOnStats),
		}),
	};
}
