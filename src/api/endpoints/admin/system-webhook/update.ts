import { systemWebhookEventTypes } from '../../../../events/catalogue.js';
import type { SystemWebhookChanges } from '../../../../store/system-webhook-store.js';
import { defineModeratorEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { packSystemWebhook, redactSystemWebhook } from '../../../packing/pack-system-webhook.js';
import { systemWebhookApiErrors } from '../../../errors/system-webhook-errors.js';
import { checkFormatTarget, checkWebhookUrl } from '../../../params/webhook-url.js';
import { secretParam } from '../../../params/text-params.js';
import { eventSetParam } from '../../../params/event-set-param.js';
import { changedOptionValues, webhookOptionParams } from '../../../params/webhook-option-params.js';
import { namingParams } from '../../../params/id-params.js';
import { rotateSecret } from '../../../../signing/secret-rotation.js';
import { checkTemplateSettings, templateSettingsAfter } from '../../../params/template-param.js';

/**
 * `admin/system-webhook/update`: replaces `isActive`, `name`, `on` and `url`, sets `updatedAt`, announces
 * `systemWebhookUpdated`, logs `updateSystemWebhook` `{ systemWebhookId, before, after }` (secrets redacted) and answers
 * the packed row. Two Misskey defects we do not copy: an omitted `secret` keeps the stored one (Misskey's
 * default `''` wipes it), and an unknown id answers NO_SUCH_SYSTEM_WEBHOOK (404) instead of a 500. Ours: the
 * delivery options (absent ones kept), and a changed secret leaves the replaced one signing for `secretRotationGraceMs`;
 * the template is checked again for the events and format the webhook will have.
 */
export const updateSystemWebhookEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/update',
	kind: 'write:admin:system-webhook',
	params: namingParams('id', {
		isActive: { type: 'boolean' },
		name: { type: 'string', minLength: 1, maxLength: 255 },
		on: eventSetParam(systemWebhookEventTypes),
		url: { type: 'string', minLength: 1, maxLength: 1024 },
		// No default, unlike Misskey: absent means "keep the stored secret"; '' still clears it.
		secret: secretParam,
		// Ours: absent keeps the stored option, so Misskey's full-replacement call leaves them alone.
		...webhookOptionParams('system'),
	}, ['isActive', 'name', 'on', 'url']),
	errors: { noSuchSystemWebhook: systemWebhookApiErrors.noSuchSystemWebhook, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, systemStore, registry, host, options }) {
		const urlError = checkWebhookUrl(params.url, options.allowedNetworks);
		if (urlError) throw urlError;
		const before = await systemStore.findById(params.id);
		if (!before) throw new ApiError(systemWebhookApiErrors.noSuchSystemWebhook);
		const targetError = checkFormatTarget(params.format ?? before.format, params.url);
		if (targetError) throw targetError;
		const changes: SystemWebhookChanges = { isActive: params.isActive, name: params.name, on: params.on, url: params.url, ...changedOptionValues('system', params) };
		checkTemplateSettings('system', templateSettingsAfter(before, changes), { serverUrl: options.serverUrl, hookId: before.id });
		// The replaced secret keeps signing for the grace period.
		if (params.secret !== undefined) Object.assign(changes, rotateSecret(before, params.secret, new Date(), options.secretRotationGraceMs));
		const after = await systemStore.update(params.id, changes);
		// Deleted by another moderator in the meantime: as missing as if it had never been there.
		if (!after) throw new ApiError(systemWebhookApiErrors.noSuchSystemWebhook);
		await registry.announceSystem('systemWebhookUpdated', after);
		await host.logModeratorAction?.(me.user.id, 'updateSystemWebhook', {
			systemWebhookId: after.id,
			before: redactSystemWebhook(before),
			after: redactSystemWebhook(after),
		});
		return packSystemWebhook(after);
	},
});
