import { defineApiError, type ApiErrorDefinition } from './api-errors.js';

const noSuchWebhook = { code: 'NO_SUCH_WEBHOOK', message: 'No such webhook.' } as const;
const noSuchSystemWebhook = { code: 'NO_SUCH_SYSTEM_WEBHOOK', message: 'No such SystemWebhook.', kind: 'server', httpStatus: 404 } as const;
const noSuchDelivery = { code: 'NO_SUCH_DELIVERY', message: 'No such delivery.' } as const;
const sinceTooOld = { code: 'RECOVER_SINCE_TOO_OLD', message: 'Deliveries can be recovered from at most 14 days back.' } as const;

/**
 * Who calls the delivery API: `owners` their own webhooks' (`i/webhooks/deliveries/*`), `moderators` any user webhook's
 * (`admin/webhooks/deliveries/*`, read only), `system` moderators a system webhook's (`admin/system-webhook/deliveries/*`).
 */
type DeliveryErrorAudience = 'owners' | 'moderators' | 'system';

/**
 * The delivery API's errors (ours), each with the id each audience's endpoint answers it with: every endpoint has ids of
 * its own, as Misskey gives each endpoint its own NO_SUCH_WEBHOOK.
 */
const deliveryErrors = {
	noSuchWebhookOnList: { error: noSuchWebhook, owners: 'ca15288e-4912-4028-8b6b-cc6b5945b6d7', moderators: '25c14eec-34ef-4434-8b23-704240534482', system: '01c55c35-cefa-4dad-bd26-c3b42b704164' },
	noSuchWebhookOnStats: { error: noSuchWebhook, owners: 'a06ca288-6466-4d82-976a-c6f0a7142c6d', moderators: 'ed82c394-9d42-439e-88c4-2e2c3d0bea34', system: 'ab19a161-863f-4b1b-a457-e6a0993e1b6a' },
	noSuchDeliveryOnShow: { error: noSuchDelivery, owners: '3ff7b0e1-e72e-4a25-82dc-75cb26a4bc81', moderators: '4536b20b-1196-4d51-bfb0-56a76736a596', system: '79264b55-1069-47c8-ae4b-b8f11e150042' },
	noSuchWebhookOnRecover: { error: noSuchWebhook, owners: 'a37d9675-256c-4fab-b57c-7d7a07697968', system: '0db1f585-faa6-44e7-9e22-acee3608a95e' },
	noSuchDeliveryOnRedeliver: { error: noSuchDelivery, owners: '9d2a2afc-a01e-49fe-ae16-f29116413b49', system: 'e48522f7-9ed0-412c-a859-0452f93e73b7' },
	/** `deliveries/redeliver` for a delivery whose webhook was deleted since: there is nowhere to send it. */
	noSuchWebhookOnRedeliver: { error: noSuchWebhook, owners: '88b0cc06-75d0-4148-bd64-cfd4639f4906', system: 'c61d6c2d-0622-46bf-9793-6bcede78d252' },
	/** `since` more than 14 days back (Svix's recover window); `info.oldestSince` says the earliest accepted. */
	sinceTooOldOnRecover: { error: sinceTooOld, owners: '649dcd14-bc18-49cc-8203-3996f77a2158', system: 'ee0a27d8-4041-4e6a-bb56-2a8e9309b4e7' },
} as const;

type DeliveryErrorName = keyof typeof deliveryErrors;

/** The errors of one audience's delivery endpoints, by name. */
export type DeliveryApiErrors<Audience extends DeliveryErrorAudience> = {
	readonly [Name in DeliveryErrorName as Audience extends keyof (typeof deliveryErrors)[Name] ? Name : never]: ApiErrorDefinition;
};

// The admin side answers a missing system webhook as `admin/system-webhook/show` does (404).
function deliveryApiErrorsOf<Audience extends DeliveryErrorAudience>(audience: Audience): DeliveryApiErrors<Audience> {
	const errors: Record<string, ApiErrorDefinition> = {};
	for (const [name, { error, ...ids }] of Object.entries(deliveryErrors)) {
		const id = (ids as Partial<Record<DeliveryErrorAudience, string>>)[audience];
		const answered = audience === 'system' && error === noSuchWebhook ? noSuchSystemWebhook : error;
		if (id !== undefined) errors[name] = defineApiError({ ...answered, id });
	}
	return errors as DeliveryApiErrors<Audience>;
}

/** The errors of `i/webhooks/deliveries/*`. */
export const deliveryApiErrors = deliveryApiErrorsOf('owners');
/** The errors of `admin/system-webhook/deliveries/*`. */
export const systemDeliveryApiErrors = deliveryApiErrorsOf('system');
/** The errors of `admin/webhooks/deliveries/*`. */
export const moderatorDeliveryApiErrors = deliveryApiErrorsOf('moderators');
