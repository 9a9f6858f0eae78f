import assert from 'node:assert/strict';
import { TestReceiver } from '../support/receiver.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { SeededRandom } from './fuzz-params.js';

// TEMPLATE_FUZZ_SEED reproduces a run; TEMPLATE_FUZZ_COUNT makes it longer. A failure names the seed and the template.
const SEED = Number(process.env.TEMPLATE_FUZZ_SEED ?? 0x7e3a);
const COUNT = Number(process.env.TEMPLATE_FUZZ_COUNT ?? 300);

// Pieces a template is made of: JSON punctuation, strings, placeholders of real and unreal fields, sections, mustache
// syntax gone wrong, and text that is hard to escape.
const fields = ['type', 'server', 'hookId', 'createdAt', 'body', 'body.note', 'body.note.text', 'body.note.cw', 'body.note.user.username', 'body.note.files', 'body.note.files.0.name', 'body.note.tags', 'body.user.username', 'constructor', '__proto__', 'body.note.text.length', 'nope', '.', 'body.note.user'];
const pieces = [
	'{', '}', '[', ']', ',', ':', '"', '"a"', '"k": ', ' ', '\n', '\\', '\\"', '1', 'null', 'true', '</script>', '😀', '\u0000', '\u2028',
	'{{', '}}', '{{{', '}}}', '{{!c}}', '{{=<% %>=}}', '{{> p}}', '{{/x}}', '{{#}}', '{{&', '{{ . }}',
];

function randomTemplate(random: SeededRandom): string {
	let template = '';
	const open: string[] = [];
	const length = 1 + random.int(24);
	for (let index = 0; index < length; index++) {
		const roll = random.int(10);
		if (roll < 4) template += random.pick(pieces);
		else if (roll < 6) template += `{{${random.pick(fields)}}}`;
		else if (roll < 7) template += `"{{${random.pick(fields)}}}"`;
		else if (roll < 8) {
			const field = random.pick(fields);
			open.push(field);
			template += `{{${random.pick(['#', '^'])}${field}}}`;
		} else if (roll < 9 && open.length > 0) template += `{{/${open.pop()}}}`;
		else template += `{"t": "${random.pick(['x', '{{type}}', '{{body.note.text}}', '{{{body.note.text}}}'])}"}`;
	}
	// Usually close what was opened, so that more templates get past parsing to the later checks.
	if (random.int(4) > 0) while (open.length > 0) template += `{{/${open.pop()}}}`;
	return template;
}

describe(`fuzz: generated payload templates (seed ${SEED}, ${COUNT} templates)`, function () {
	this.timeout(600_000);
	let api: ApiHarness;
	let receiver: TestReceiver;
	let token: string;
	let hookId: string;

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
		receiver = await new TestReceiver().start();
		const caller = api.host.addUserWithToken();
		token = caller.token;
		api.host.setWebhookLimit(caller.user, 1_000_000);
		hookId = (await api.call('i/webhooks/create', { name: 'fuzz', url: receiver.url('/fuzz'), on: ['note'] }, { token })).body.id;
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	it('never a 5xx; every refusal is INVALID_PARAM saying where; every accepted template renders what its content type says', async () => {
		const random = new SeededRandom(SEED);
		let accepted = 0;
		for (let index = 0; index < COUNT; index++) {
			const template = randomTemplate(random);
			const templateContentType = random.int(4) === 0 ? 'text/plain' : 'application/json';
			const on = random.pick([['note'], ['note', 'follow'], ['reply', 'mention', 'reaction']]);
			const context = `seed ${SEED}, template ${index}: ${JSON.stringify(template)} (${templateContentType}, on ${on.join(',')})`;
			const created = await api.call('i/webhooks/update', { webhookId: hookId, template, templateContentType, on }, { token });
			assert.ok(created.status < 500, `${context}: ${created.status} ${created.rawBody}`);
			if (created.status !== 204) {
				assert.equal(created.status, 400, context);
				assert.equal(created.body.error.code, 'INVALID_PARAM', context);
				const { info } = created.body.error;
				// NUL and unpaired surrogates are every string param's refusal (storableText), before the template's own checks.
				if (info.param === '#/properties/template/storableText') continue;
				assert.equal(info.param, 'template', context);
				assert.equal(typeof info.reason, 'string', context);
				if (!String(info.reason).startsWith('a template makes the body')) assert.ok(Number.isInteger(info.line) && Number.isInteger(info.column), `${context}: ${created.rawBody}`);
				continue;
			}
			accepted++;
			const preview = await api.call('i/webhooks/test', { webhookId: hookId, type: on[0] }, { token });
			assert.ok(preview.status < 500, `${context}: ${preview.status} ${preview.rawBody}`);
			assert.equal(preview.status, 200, `${context}: ${preview.rawBody}`);
			if (templateContentType === 'application/json') assert.doesNotThrow(() => JSON.parse(preview.body.body), context);
		}
		// The generator must reach the render, not only the parser: a run that accepts nothing tests too little.
		assert.ok(accepted > 0, `no template of ${COUNT} was accepted`);
	});
});
