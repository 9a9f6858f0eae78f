import assert from 'node:assert/strict';
import { TestReceiver } from '../support/receiver.js';
import { verifies } from '../support/signature.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { TEMPLATE_LIMITS } from '../../src/delivery/format/template/template-limits.js';
import { eventually, startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, newModerator } from './system-webhook-fixture.js';

const noteTemplate = '{\n  "content": "{{body.note.user.username}}: {{body.note.text}}",\n  "event": "{{type}}",\n  "hook": {{hookId}}\n}';
const invalidParamId = '3d81ceae-475f-4600-b2a8-2bc116157532';

/** The INVALID_PARAM envelope's info, failing the test on any other answer. */
function templateRefusal(response: { status: number; body: any; rawBody: string }): Record<string, unknown> {
	assert.equal(response.status, 400, response.rawBody);
	assert.equal(response.body.error.code, 'INVALID_PARAM');
	assert.equal(response.body.error.id, invalidParamId);
	assert.equal(response.body.error.info.param, 'template');
	return response.body.error.info;
}

describe('payload templates through the API', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
		receiver = await new TestReceiver().start();
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});
	beforeEach(() => receiver.clear());

	function user(): string {
		const { user: created, token } = api.host.addUserWithToken();
		api.host.setWebhookLimit(created, 100);
		return token;
	}

	const create = (token: string, params: Record<string, unknown>) =>
		api.call('i/webhooks/create', { name: 'templated', url: receiver.url('/templated'), secret: 'tpl-secret', on: ['note'], ...params }, { token });

	describe('i/webhooks/create, show, list and update', () => {
		it('stores the template and its content type and shows them in every answer', async () => {
			const token = user();
			const created = await create(token, { template: noteTemplate });
			assert.equal(created.status, 200, created.rawBody);
			schemas.assert('UserWebhook', created.body);
			assert.equal(created.body.template, noteTemplate);
			assert.equal(created.body.templateContentType, 'application/json');
			const shown = await api.call('i/webhooks/show', { webhookId: created.body.id }, { token });
			assert.equal(shown.body.template, noteTemplate);
			const listed = await api.call('i/webhooks/list', {}, { token });
			assert.equal(listed.body[0].template, noteTemplate);
			const plain = await api.call('i/webhooks/update', { webhookId: created.body.id, template: 'New note: {{body.note.text}}', templateContentType: 'text/plain' }, { token });
			assert.equal(plain.status, 204, plain.rawBody);
			const after = (await api.call('i/webhooks/show', { webhookId: created.body.id }, { token })).body;
			assert.deepEqual([after.template, after.templateContentType], ['New note: {{body.note.text}}', 'text/plain']);
			assert.equal((await api.call('i/webhooks/update', { webhookId: created.body.id, template: null }, { token })).status, 204);
			assert.equal((await api.call('i/webhooks/show', { webhookId: created.body.id }, { token })).body.template, null);
		});

		it('a webhook without a template has template null and the JSON content type', async () => {
			const created = await create(user(), {});
			assert.deepEqual([created.body.template, created.body.templateContentType], [null, 'application/json']);
		});

		const refusals: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
			['a template that does not parse', { template: '{\n  "a": "{{#body.note}}"\n}' }, { reason: 'the template does not parse: Unclosed section "body.note"' }],
			['a partial', { template: '{"a": {{> other}}}' }, { reason: 'partials ({{> other}}) are not available: a template is one text', line: 1, column: 7 }],
			['a field the event does not have', { template: '{\n  "a": "{{body.note.txt}}"\n}' }, { reason: 'the note event has no field body.note.txt', line: 2, column: 9, eventType: 'note' }],
			['a field one of the subscribed events does not have', { template: '{"a": "{{body.note.text}}"}', on: ['note', 'follow'] }, { reason: 'the follow event has no field body.note.text', line: 1, column: 8, eventType: 'follow' }],
			['prototype access', { template: '{"a": "{{constructor.name}}"}' }, { reason: 'the note event has no field constructor.name', line: 1, column: 8, eventType: 'note' }],
			['a body that is not JSON', { template: '{"a": {{body.note.text}} {{type}}}' }, { line: 1, column: 26, eventType: 'note' }],
			['a list without separators, caught by the samples with doubled lists', { template: '{"files": [{{#body.note.files}}{{id}}{{/body.note.files}}]}', on: ['note'] }, { eventType: 'note' }],
			['a template over the size limit', { template: `"${'x'.repeat(TEMPLATE_LIMITS.templateLength)}"` }, { reason: `the template is ${TEMPLATE_LIMITS.templateLength + 2} characters long; at most ${TEMPLATE_LIMITS.templateLength} are allowed` }],
			['sections nested too deep', { template: '{{#body.note}}{{#body.note}}{{#body.note}}{{#body.note}}{{#body.note}}x{{/body.note}}{{/body.note}}{{/body.note}}{{/body.note}}{{/body.note}}', templateContentType: 'text/plain' }, { reason: `sections nest more than ${TEMPLATE_LIMITS.sectionDepth} deep`, line: 1, column: 57 }],
			['JSON nested too deep', { template: `${'['.repeat(40)}${']'.repeat(40)}` }, { reason: `the JSON nests more than ${TEMPLATE_LIMITS.jsonDepth} deep` }],
			['a template with a chat format', { template: '{"a": 1}', format: 'discord' }, { reason: 'a template makes the body instead of a format: set format to misskey (it is discord) or template to null' }],
			['an unknown content type', { template: '{"a": 1}', templateContentType: 'text/html' }, {}],
		];
		for (const [name, params, expected] of refusals) {
			it(`refuses ${name} with INVALID_PARAM saying where, and stores nothing`, async () => {
				const token = user();
				const response = await create(token, params);
				if (name === 'an unknown content type') {
					assert.equal(response.status, 400);
					assert.equal(response.body.error.code, 'INVALID_PARAM');
				} else {
					const info = templateRefusal(response);
					for (const [key, value] of Object.entries(expected)) assert.deepEqual(info[key], value, `${key} of ${JSON.stringify(info)}`);
					// Every refusal of the template's text says where; the format's clash is not in the text.
					if (params.format === undefined) assert.deepEqual([typeof info.line, typeof info.column], ['number', 'number']);
				}
				assert.deepEqual((await api.call('i/webhooks/list', {}, { token })).body, []);
			});
		}

		it('an update is checked as the webhook will be: new events, a new format or a new template; the row is left as it was', async () => {
			const token = user();
			const { body: hook } = await create(token, { template: noteTemplate });
			templateRefusal(await api.call('i/webhooks/update', { webhookId: hook.id, on: ['note', 'followed'] }, { token }));
			templateRefusal(await api.call('i/webhooks/update', { webhookId: hook.id, format: 'slack' }, { token }));
			templateRefusal(await api.call('i/webhooks/update', { webhookId: hook.id, template: '{"x": {{body.user}}}' }, { token }));
			templateRefusal(await api.call('i/webhooks/update', { webhookId: hook.id, templateContentType: 'application/json', template: 'plain {{type}}' }, { token }));
			const shown = (await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body;
			assert.deepEqual([shown.on, shown.format, shown.template], [['note'], 'misskey', noteTemplate]);
			// A section guards what only some events have.
			const guarded = '{"text": {{#body.note}}{{body.note.text}}{{/body.note}}{{#body.user}}{{body.user.username}}{{/body.user}}}';
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, on: ['note', 'followed'], template: guarded }, { token })).status, 204);
		});
	});

	describe('i/webhooks/test: the preview', () => {
		it('answers the body it sends and its content type; the receiver gets exactly those bytes, signed', async () => {
			const token = user();
			const { body: hook } = await create(token, { template: noteTemplate });
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token });
			assert.equal(response.status, 200, response.rawBody);
			assert.equal(response.body.type, 'note');
			assert.equal(response.body.contentType, 'application/json');
			assert.deepEqual(JSON.parse(response.body.body), { content: 'dummy1: This is a dummy note for testing purposes.', event: 'note', hook: hook.id });
			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.rawBody, response.body.body);
			assert.equal(request.headers['content-type'], 'application/json');
			assert.equal(verifies('tpl-secret', request), true);
		});

		it('override.template previews a template before it is saved; the stored one is unchanged', async () => {
			const token = user();
			const { body: hook } = await create(token, { template: noteTemplate });
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { template: 'Note by {{body.note.user.username}}', templateContentType: 'text/plain' } }, { token });
			assert.equal(response.status, 200, response.rawBody);
			assert.deepEqual(response.body, { type: 'note', contentType: 'text/plain; charset=utf-8', body: 'Note by dummy1' });
			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.rawBody, 'Note by dummy1');
			assert.equal(request.headers['content-type'], 'text/plain; charset=utf-8');
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.template, noteTemplate);
		});

		it('a template that would not render is refused with INVALID_PARAM saying where, and nothing is sent', async () => {
			const token = user();
			const { body: hook } = await create(token, {});
			const info = templateRefusal(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'follow', override: { template: '{"a": "{{body.note.text}}"}' } }, { token }));
			assert.deepEqual([info.line, info.column, info.eventType], [1, 8, 'follow']);
			await new Promise((resolve) => setTimeout(resolve, 200));
			assert.equal(receiver.requests.length, 0);
		});

		it('a webhook without a template still answers 204 with Misskey\'s envelope', async () => {
			const token = user();
			const { body: hook } = await create(token, {});
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token });
			assert.equal(response.status, 204);
			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.json.hookId, hook.id);
		});
	});

	describe('at delivery', () => {
		it('a template that cannot render is a final failure with its reason in the attempt log; nothing is sent', async () => {
			const token = user();
			const { body: hook } = await create(token, {});
			// Stored past the checks, as a row written by an older version or by hand could be.
			await api.store.repository.update({ id: hook.id }, { template: '{\n  "a": {{body.note.text}} {{type}}\n}' });
			const row = await api.store.findOwned(hook.id, hook.userId);
			await api.delivery.enqueue([row!], 'note', { note: { id: 'n1', text: 'hi' } });
			const [delivery] = await eventually(() => api.delivery.deliveries.listByWebhook('user', hook.id, { limit: 1 }), (rows) => rows.length > 0 && rows[0]!.status !== 'pending');
			await api.delivery.flushRecords();
			const shown = await api.call('i/webhooks/deliveries/show', { deliveryId: delivery!.id }, { token });
			assert.equal(shown.body.status, 'failed');
			assert.equal(shown.body.attempts.length, 1);
			assert.equal(shown.body.attempts[0].errorClass, 'template-render');
			assert.match(shown.body.attempts[0].reason, /^template-render: line 2, column 27 \(note event\): the rendered body is not valid JSON/);
			assert.equal(receiver.requests.length, 0);
		});
	});

	describe('system webhooks', () => {
		it('create, update and test take a template as user webhooks do', async () => {
			const moderator = newModerator(api);
			const template = '{"text": "Report on {{body.targetUser.username}}: {{body.comment}}"}';
			const hook = await createSystemHook(api, moderator.token, { url: receiver.url('/system-templated'), secret: 'sys', on: ['abuseReport'], template });
			schemas.assert('SystemWebhook', hook);
			assert.equal(hook.template, template);
			const info = templateRefusal(await api.call('admin/system-webhook/update', { id: hook.id, isActive: true, name: hook.name, on: ['abuseReport', 'userCreated'], url: hook.url }, { token: moderator.token }));
			assert.equal(info.eventType, 'userCreated');
			templateRefusal(await api.call('admin/system-webhook/create', { isActive: true, name: 'x', on: ['userCreated'], url: receiver.url('/x'), template: '{"u": "{{userId}}"}' }, { token: moderator.token }));
			const preview = await api.call('admin/system-webhook/test', { webhookId: hook.id, type: 'abuseReport' }, { token: moderator.token });
			assert.equal(preview.status, 200, preview.rawBody);
			assert.equal(preview.body.contentType, 'application/json');
			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.rawBody, preview.body.body);
			assert.equal(verifies('sys', request), true);
			assert.match(JSON.parse(request.rawBody).text, /^Report on /);
		});
	});
});
