import type { WebhookChanges } from '../../../../store/webhook-store.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { webhookPauseApiErrors } from '../../../errors/webhook-pause-errors.js';
import { checkFormatTarget, checkWebhookUrl } from '../../../params/webhook-url.js';
import { secretParam } from '../../../params/text-params.js';
import { openEventSetParam } from '../../../params/event-set-param.js';
import { changedOptionValues, webhookOptionParams } from '../../../params/webhook-option-params.js';
import { namingParams } from '../../../params/id-params.js';
import { rotateSecret } from '../../../../signing/secret-rotation.js';
import { checkTemplateSettings, templateSettingsAfter, touchesTemplate } from '../../../params/template-param.js';

/**
 * `i/webhooks/update`: partial, omitted keys unchanged, `secret: null` stores ''; announces the fresh row;
 * replies 204. Ours: `active: true` on a webhook a moderator paused is refused as a whole with
 * WEBHOOK_PAUSED_BY_MODERATOR; re-activating clears any other pause. Ours: the delivery options, and a changed
 * secret leaves the replaced one signing for `secretRotationGraceMs`; a change to the template, its content type, the
 * format or `on` checks the template again as it will be (INVALID_PARAM saying where).
 */
export const updateWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/update',
	kind: 'write:account',
	requireCredential: true,
	params: namingParams('webhookId', {
		name: { type: 'string', minLength: 1, maxLength: 100 },
		url: { type: 'string', minLength: 1, maxLength: 1024 },
		secret: { ...secretParam, nullable: true },
		on: openEventSetParam(),
		active: { type: 'boolean' },
		...webhookOptionParams('user'),
	}),
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnUpdate, pausedByModerator: webhookPauseApiErrors.pausedByModerator, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, store, registry, options }) {
		const urlError = params.url === undefined ? null : checkWebhookUrl(params.url, options.allowedNetworks, params.format);
		if (urlError) throw urlError;
		const changes: WebhookChanges = changedOptionValues('user', params);
		if (params.name !== undefined) changes.name = params.name;
		if (params.url !== undefined) changes.url = params.url;
		if (params.on !== undefined) changes.on = params.on;
		if (params.active !== undefined) changes.active = params.active;
		// A new URL or format alone is checked against the other as stored.
		const targetAgainstStored = (params.url === undefined) !== (params.format === undefined);
		if (params.secret !== undefined || touchesTemplate(params) || targetAgainstStored) {
			// The replaced secret keeps signing for the grace period, and the template is checked as it will be: both read the row first.
			const current = await store.findOwned(params.webhookId, me.user.id);
			if (!current) throw new ApiError(webhookApiErrors.noSuchWebhookOnUpdate);
			const targetError = targetAgainstStored ? checkFormatTarget(params.format ?? current.format, params.url ?? current.url) : null;
			if (targetError) throw targetError;
			if (touchesTemplate(params)) checkTemplateSettings('user', templateSettingsAfter(current, params), { serverUrl: options.serverUrl, hookId: current.id, userId: current.userId });
			if (params.secret !== undefined) Object.assign(changes, rotateSecret(current, params.secret ?? '', new Date(), options.secretRotationGraceMs));
		}
		const outcome = await store.updateByOwner(params.webhookId, me.user.id, changes);
		switch (outcome.kind) {
			case 'missing':
				throw new ApiError(webhookApiErrors.noSuchWebhookOnUpdate);
			case 'pausedByModerator':
				throw new ApiError(webhookPauseApiErrors.pausedByModerator);
			case 'updated':
				await registry.announce('webhookUpdated', outcome.row);
				return undefined;
		}
	},
});
