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
import type { ObjectParamSchema } from './params/params-schema.js';
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
	/** The kind of webhook whose log it reads; a delivery of another kind looks missing. */
	kind: WebhookKindName;
	log(ctx: EndpointContext): DeliveryLog<Webhook>;
	findWebhook(ctx: EndpointContext, webhookId: string): Promise<Webhook | null>;
	/** Which deliveries of its kind it may see; absent, all of them. */
	sees?(ctx: EndpointContext, row: WebhookDeliveryEntity): boolean;
	pack(row: WebhookDeliveryEntity): WebhookDelivery;
	packDetail(row: WebhookDeliveryEntity, attempts: readonly WebhookDeliveryAttemptEntity[]): WebhookDeliveryDetail;
}

/** The log of one kind of webhook: its deliveries and their attempts, and what queues a manual send of them. */
export interface DeliveryLog<Webhook> {
	deliveries: DeliveryStore;
	attempts: AttemptStore;
	redeliver(row: WebhookDeliveryEntity, webhook: Webhook): Promise<void>;
	recoverFailed(webhook: Webhook, since: Date, cap: number): Promise<number>;
}

/** Each kind's log, where its deliveries are and what queues their manual sends. */
const userDeliveries = { kind: 'user', log: (ctx: EndpointContext) => ctx.delivery } as const;
const systemDeliveries = { kind: 'system', log: (ctx: EndpointContext) => ctx.systemDelivery } as const;

/** Deliveries as the webhook's owner sees them, and as moderators see a user webhook's: its URL redacted. */
const unredacted = { pack: packWebhookDelivery, packDetail: packWebhookDeliveryDetail };
const redacted = { pack: packWebhookDeliveryForModerators, packDetail: packWebhookDeliveryDetailForModerators };

/** A user reading their own webhooks' log (`i/webhooks/deliveries/*`): another user's webhook looks missing. */
export const ownersDeliveryLog: DeliveryLogAudience<WebhookEntity> = {
	...userDeliveries,
	...unredacted,
	findWebhook: (ctx, webhookId) => ctx.store.findOwned(webhookId, ctx.me.user.id),
	sees: (ctx, row) => row.userId === ctx.me.user.id,
};

/** Moderators reading any user webhook's log (`admin/webhooks/deliveries/*`), its URL redacted. */
export const moderatorsUserDeliveryLog: DeliveryLogAudience<WebhookEntity> = {
	...userDeliveries,
	...redacted,
	findWebhook: (ctx, webhookId) => ctx.store.findById(webhookId),
};

/** Moderators reading a system webhook's log (`admin/system-webhook/deliveries/*`). */
export const moderatorsSystemDeliveryLog: DeliveryLogAudience<SystemWebhookEntity> = {
	...systemDeliveries,
	...unredacted,
	findWebhook: (ctx, webhookId) => ctx.systemStore.findById(webhookId),
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
	if (!row || row.webhookKind !== audience.kind || audience.sees?.(ctx, row) === false) throw new ApiError(missing);
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

/** Where one audience's delivery endpoints are and who may call them. */
export interface DeliveryEndpointsSpec<Webhook extends { id: string } = { id: string }> {
	/** The endpoints' common path, e.g. `i/webhooks/deliveries`. */
	path: string;
	kind: PermissionKind;
	/** Moderators' endpoints take only a moderator's own token; the owners' any token of the user with `kind`. */
	moderators: boolean;
	audience: DeliveryLogAudience<Webhook>;
	/** The name the endpoints give their missing-webhook error, as their siblings do (`noSuchWebhook`, `noSuchSystemWebhook`). */
	noSuchWebhookName: string;
}

/** Declares one of an audience's delivery endpoints, with the spec's permission and access. */
export function defineDeliveryEndpoint<const Params extends ObjectParamSchema, Result>(
	spec: Pick<DeliveryEndpointsSpec, 'kind' | 'moderators'>,
	endpoint: Omit<Endpoint<Params, Result, true>, 'kind' | 'requireCredential'>,
): Endpoint<Params, Result, true> {
	return spec.moderators ? defineModeratorEndpoint({ ...endpoint, kind: spec.kind }) : defineEndpoint({ ...endpoint, kind: spec.kind, requireCredential: true });
}

/** How one audience's `deliveries/list`, `show` and `stats` are declared: where, with which permission, which errors. */
export interface DeliveryLogEndpointsSpec extends DeliveryEndpointsSpec {
	errors: { noSuchWebhookOnList: ApiErrorDefinition; noSuchWebhookOnStats: ApiErrorDefinition; noSuchDeliveryOnShow: ApiErrorDefinition };
}

/** One audience's read endpoints of the delivery log, each with its own name and error ids. */
export function defineDeliveryLogEndpoints(spec: DeliveryLogEndpointsSpec) {
	const define = <const Params extends ObjectParamSchema, Result>(endpoint: Omit<Endpoint<Params, Result, true>, 'kind' | 'requireCredential'>) => defineDeliveryEndpoint(spec, endpoint);
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
