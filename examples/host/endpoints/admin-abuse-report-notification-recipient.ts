import { defineEndpoint, fail, noContent, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import { abuseReportRecipientMethods, type AbuseReportRecipientMethod } from '../entities/index.js';
import { packRecipient, type RecipientInput, type RecipientRefusal } from '../services/abuse-report-recipients.js';

// The five `admin/abuse-report/notification-recipient/*` endpoints (moderators only), in one file: they share their
// params and refusals.

const refusalErrors = {
	correlationCheckEmail: endpointErrors.correlationCheckEmail,
	correlationCheckWebhook: endpointErrors.correlationCheckWebhook,
	emailAddressNotSet: endpointErrors.emailAddressNotSet,
	noSuchSystemWebhook: endpointErrors.noSuchSystemWebhookForRecipient,
	noSuchRecipient: endpointErrors.noSuchRecipient,
} satisfies Record<RecipientRefusal | 'noSuchRecipient', unknown>;

const recipientProperties = {
	isActive: { type: 'boolean' },
	name: { type: 'string', minLength: 1, maxLength: 255 },
	method: { type: 'string', enum: [...abuseReportRecipientMethods] },
	userId: { type: 'string', format: 'misskey:id' },
	systemWebhookId: { type: 'string', format: 'misskey:id' },
} as const;

const idParams = {
	type: 'object',
	properties: { id: { type: 'string', format: 'misskey:id' } },
	required: ['id'],
} as const;

/** `admin/abuse-report/notification-recipient/create`: a recipient; answers it packed. */
export const adminAbuseReportRecipientCreateEndpoint = defineEndpoint({
	name: 'admin/abuse-report/notification-recipient/create',
	requireCredential: true,
	requireModerator: true,
	params: { type: 'object', properties: recipientProperties, required: ['isActive', 'name', 'method'] },
	async handler(params: RecipientInput, me, services) {
		const created = await services.abuseReportRecipients.create(me, params);
		return created.ok ? ok(packRecipient(created.value)) : fail(refusalErrors[created.reason]);
	},
});

/** `admin/abuse-report/notification-recipient/update`: every field replaced; answers the recipient packed. */
export const adminAbuseReportRecipientUpdateEndpoint = defineEndpoint({
	name: 'admin/abuse-report/notification-recipient/update',
	requireCredential: true,
	requireModerator: true,
	params: { type: 'object', properties: { id: idParams.properties.id, ...recipientProperties }, required: ['id', 'isActive', 'name', 'method'] },
	async handler(params: RecipientInput & { id: string }, me, services) {
		const { id, ...input } = params;
		const updated = await services.abuseReportRecipients.update(me, id, input);
		return updated.ok ? ok(packRecipient(updated.value)) : fail(refusalErrors[updated.reason]);
	},
});

/** `admin/abuse-report/notification-recipient/delete`: 204, also for an unknown id (Misskey). */
export const adminAbuseReportRecipientDeleteEndpoint = defineEndpoint({
	name: 'admin/abuse-report/notification-recipient/delete',
	requireCredential: true,
	requireModerator: true,
	params: idParams,
	async handler(params: { id: string }, me, services) {
		await services.abuseReportRecipients.delete(me, params.id);
		return noContent();
	},
});

/** `admin/abuse-report/notification-recipient/list`: every recipient, or those of the given methods, sorted by id. */
export const adminAbuseReportRecipientListEndpoint = defineEndpoint({
	name: 'admin/abuse-report/notification-recipient/list',
	requireCredential: true,
	requireModerator: true,
	params: { type: 'object', properties: { method: { type: 'array', items: recipientProperties.method } } },
	async handler(params: { method?: AbuseReportRecipientMethod[] }, _me, services) {
		return ok((await services.abuseReportRecipients.list(params.method)).map(packRecipient));
	},
});

/** `admin/abuse-report/notification-recipient/show`: one recipient packed. */
export const adminAbuseReportRecipientShowEndpoint = defineEndpoint({
	name: 'admin/abuse-report/notification-recipient/show',
	requireCredential: true,
	requireModerator: true,
	params: idParams,
	async handler(params: { id: string }, _me, services) {
		const recipient = await services.abuseReportRecipients.findById(params.id);
		return recipient ? ok(packRecipient(recipient)) : fail(endpointErrors.noSuchRecipient);
	},
});
