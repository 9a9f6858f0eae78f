import { defineApiError } from './api-errors.js';

const noSuchWebhook = { code: 'NO_SUCH_WEBHOOK', message: 'No such webhook.' } as const;
const noSuchSystemWebhook = { code: 'NO_SUCH_SYSTEM_WEBHOOK', message: 'No such SystemWebhook.', kind: 'server', httpStatus: 404 } as const;
const noSuchDelivery = { code: 'NO_SUCH_DELIVERY', message: 'No such delivery.' } as const;
const sinceTooOld = { code: 'RECOVER_SINCE_TOO_OLD', message: 'Deliveries can be recovered from at most 14 days back.' } as const;

/**
 * The delivery API's errors (ours), each endpoint with ids of its own, as Misskey gives each endpoint
 * its own NO_SUCH_WEBHOOK. The admin side answers a missing system webhook as `admin/system-webhook/show` does (404).
 */
export const deliveryApiErrors = {
	noSuchWebhookOnList: defineApiError({ ...noSuchWebhook, id: 'ca15288e-4912-4028-8b6b-cc6b5945b6d7' }),
	noSuchWebhookOnRecover: defineApiError({ ...noSuchWebhook, id: 'a37d9675-256c-4fab-b57c-7d7a07697968' }),
	noSuchWebhookOnStats: defineApiError({ ...noSuchWebhook, id: 'a06ca288-6466-4d82-976a-c6f0a7142c6d' }),
	noSuchDeliveryOnShow: defineApiError({ ...noSuchDelivery, id: '3ff7b0e1-e72e-4a25-82dc-75cb26a4bc81' }),
	noSuchDeliveryOnRedeliver: defineApiError({ ...noSuchDelivery, id: '9d2a2afc-a01e-49fe-ae16-f29116413b49' }),
	/** `i/webhooks/deliveries/redeliver` for a delivery whose webhook was deleted since: there is nowhere to send it. */
	noSuchWebhookOnRedeliver: defineApiError({ ...noSuchWebhook, id: '88b0cc06-75d0-4148-bd64-cfd4639f4906' }),
	/** `since` more than 14 days back (Svix's recover window); `info.oldestSince` says the earliest accepted. */
	sinceTooOldOnRecover: defineApiError({ ...sinceTooOld, id: '649dcd14-bc18-49cc-8203-3996f77a2158' }),
} as const;

/** The errors of `admin/system-webhook/deliveries/*` (ours), ids of their own. */
export const systemDeliveryApiErrors = {
	noSuchSystemWebhookOnList: defineApiError({ ...noSuchSystemWebhook, id: '01c55c35-cefa-4dad-bd26-c3b42b704164' }),
	noSuchSystemWebhookOnRecover: defineApiError({ ...noSuchSystemWebhook, id: '0db1f585-faa6-44e7-9e22-acee3608a95e' }),
	noSuchDeliveryOnShow: defineApiError({ ...noSuchDelivery, id: '79264b55-1069-47c8-ae4b-b8f11e150042' }),
	noSuchDeliveryOnRedeliver: defineApiError({ ...noSuchDelivery, id: 'e48522f7-9ed0-412c-a859-0452f93e73b7' }),
	noSuchSystemWebhookOnRedeliver: defineApiError({ ...noSuchSystemWebhook, id: 'c61d6c2d-0622-46bf-9793-6bcede78d252' }),
	sinceTooOldOnRecover: defineApiError({ ...sinceTooOld, id: 'ee0a27d8-4041-4e6a-bb56-2a8e9309b4e7' }),
	noSuchSystemWebhookOnStats: defineApiError({ ...noSuchSystemWebhook, id: 'ab19a161-863f-4b1b-a457-e6a0993e1b6a' }),
} as const;

/** The errors of `admin/webhooks/deliveries/*` (ours): moderators reading any user webhook's log, ids of their own. */
export const moderatorDeliveryApiErrors = {
	noSuchWebhookOnList: defineApiError({ ...noSuchWebhook, id: '25c14eec-34ef-4434-8b23-704240534482' }),
	noSuchWebhookOnStats: defineApiError({ ...noSuchWebhook, id: 'ed82c394-9d42-439e-88c4-2e2c3d0bea34' }),
	noSuchDeliveryOnShow: defineApiError({ ...noSuchDelivery, id: '4536b20b-1196-4d51-bfb0-56a76736a596' }),
} as const;
