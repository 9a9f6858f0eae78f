import assert from 'node:assert/strict';
import { compileTemplate, type CompiledTemplate } from '../../../../src/delivery/format/template/compile.js';
import { renderTemplate } from '../../../../src/delivery/format/template/render.js';
import { unknownFields } from '../../../../src/delivery/format/template/schema-fields.js';
import { placeOf } from '../../../../src/delivery/format/template/template-error.js';
import { TEMPLATE_LIMITS } from '../../../../src/delivery/format/template/template-limits.js';
import type { TemplateContentType } from '../../../../src/core/template-content-type.js';

function compiled(source: string, contentType: TemplateContentType = 'application/json'): CompiledTemplate {
	const result = compileTemplate(source, contentType);
	if (!result.ok) assert.fail(`refused: ${result.problem.reason}`);
	return result.template;
}

function rendered(source: string, data: unknown, contentType: TemplateContentType = 'application/json'): string {
	const result = renderTemplate(compiled(source, contentType), data);
	if (!result.ok) assert.fail(`render failed: ${result.problem.reason}`);
	return result.body;
}

function refusal(source: string, contentType: TemplateContentType = 'application/json'): { reason: string; line: number; column: number } {
	const result = compileTemplate(source, contentType);
	assert.equal(result.ok, false, `expected ${JSON.stringify(source.slice(0, 60))} to be refused`);
	const { problem } = result as Extract<typeof result, { ok: false }>;
	return { reason: problem.reason, ...placeOf(source, problem.offset) };
}

const noteEvent = (text: unknown) => ({ server: 'https://misskey.example', hookId: 'hook1', userId: 'u1', eventId: 'e1', createdAt: 1, type: 'note', body: { note: { id: 'n1', text, user: { username: 'alice', name: null } } } });

describe('payload templates: the engine', () => {
	describe('escaping inside JSON strings', () => {
		const hostile = [
			['quotes', 'say "hi" and \'bye\''],
			['backslashes', 'C:\\path\\to\\"file"'],
			['newlines and tabs', 'line 1\nline 2\r\n\tindented'],
			['</script>', '</script><script>alert(1)</script>'],
			['control characters', '\u0000\u0001\u0008\u000b\u000c\u001f\u007f'],
			['non-BMP text', '𝕄isskey 😀 🏳️‍🌈 𠮷'],
			['line separators', 'a\u2028b\u2029c'],
		] as const;
		for (const [name, text] of hostile) {
			it(`${name}: the body parses and the value comes back exactly`, () => {
				const body = rendered('{"text": "{{body.note.text}}", "raw": "{{{body.note.text}}}", "amp": "{{& body.note.text}}"}', noteEvent(text));
				const parsed = JSON.parse(body);
				assert.equal(parsed.text, text);
				assert.equal(parsed.raw, text, 'triple mustaches inside a JSON string are escaped too');
				assert.equal(parsed.amp, text);
			});
		}

		it('no </script>, <, > or & reaches the body unescaped, so it can sit in an HTML script element', () => {
			const body = rendered('{"text": "{{body.note.text}}", "value": {{body.note.text}}}', noteEvent('</script> & <b>'));
			assert.doesNotMatch(body, /[<>&]/);
			assert.equal(JSON.parse(body).value, '</script> & <b>');
		});

		it('non-BMP characters are written as themselves, not as escapes or replacement characters', () => {
			const body = rendered('{"text": "{{body.note.text}}"}', noteEvent('😀𠮷'));
			assert.equal(body, '{"text": "😀𠮷"}');
		});

		it('a lone surrogate stays valid JSON', () => {
			const body = rendered('{"text": "{{body.note.text}}"}', noteEvent('a\ud800b'));
			assert.equal(JSON.parse(body).text, 'a\ud800b');
		});

		it('text in a string next to a placeholder is kept as written', () => {
			assert.equal(JSON.parse(rendered('{"t": "by @{{body.note.user.username}}: \\"{{body.note.text}}\\""}', noteEvent('hi'))).t, 'by @alice: "hi"');
		});
	});

	describe('placeholders outside strings', () => {
		it('write the value as JSON: strings quoted, numbers, null for a missing or null field, objects whole', () => {
			const body = JSON.parse(rendered('{"text": {{body.note.text}}, "at": {{createdAt}}, "name": {{body.note.user.name}}, "cw": {{body.note.cw}}, "user": {{body.note.user}}}', noteEvent('a "b"')));
			assert.deepEqual(body, { text: 'a "b"', at: 1, name: null, cw: null, user: { username: 'alice', name: null } });
		});
	});

	describe('plain text', () => {
		it('inserts values as they are, with no HTML or JSON escaping', () => {
			assert.equal(rendered('{{body.note.user.username}} wrote: {{body.note.text}}', noteEvent('<b>"5 & 6"</b>'), 'text/plain'), 'alice wrote: <b>"5 & 6"</b>');
		});
		it('writes objects as JSON and missing values as nothing', () => {
			assert.equal(rendered('[{{body.note.cw}}] {{body.note.user}}', noteEvent('x'), 'text/plain'), '[] {"username":"alice","name":null}');
		});
	});

	describe('sections', () => {
		it('repeat over lists with the item as context, and inverted sections render for a missing or empty value', () => {
			const data = { body: { note: { files: [{ name: 'a.png' }, { name: 'b "c".png' }] } } };
			assert.equal(rendered('{{#body.note.files}}{{name}};{{/body.note.files}}{{^body.note.cw}}no cw{{/body.note.cw}}', data, 'text/plain'), 'a.png;b "c".png;no cw');
		});
	});

	describe('only the event\'s own data is read', () => {
		const data = { body: { note: { text: 'hi', tags: ['a'] } } };
		for (const name of ['constructor', '__proto__', 'toString', 'body.constructor', 'body.note.text.length', 'body.note.tags.length', 'body.note.tags.map', 'hasOwnProperty', 'body.__proto__.polluted']) {
			it(`{{${name}}} renders nothing`, () => {
				assert.equal(rendered(`[{{${name}}}]`, data, 'text/plain'), '[]');
				assert.equal(rendered(`{{#${name}}}x{{/${name}}}`, data, 'text/plain'), '');
			});
		}
		it('an own key named like a prototype member is read as data', () => {
			assert.equal(rendered('{{body.constructor}}', JSON.parse('{"body": {"constructor": "mine"}}'), 'text/plain'), 'mine');
		});
		it('list items are read by index', () => {
			assert.equal(rendered('{{body.note.tags.0}}', data, 'text/plain'), 'a');
		});
	});

	describe('refusals, with where', () => {
		it('a template that does not parse: unclosed section, unclosed tag, unopened section', () => {
			assert.match(refusal('{"a": "{{#type}}x"}').reason, /does not parse: Unclosed section "type"/);
			assert.match(refusal('{"a": 1,\n "b": "{{type"}').reason, /does not parse: Unclosed tag/);
			assert.deepEqual(refusal('{\n  "a": "{{/type}}"\n}'), { reason: 'the template does not parse: Unopened section "type"', line: 2, column: 9 });
		});
		it('partials, which would load other templates', () => {
			assert.deepEqual(refusal('{"a":\n  {{> other}}}'), { reason: 'partials ({{> other}}) are not available: a template is one text', line: 2, column: 3 });
		});
		it('a name that is not a dotted field name', () => {
			assert.match(refusal('{"a": "{{body[0]}}"}').reason, /"body\[0\]" is not a field name/);
			assert.match(refusal('{"a": "{{body..x}}"}').reason, /is not a field name/);
		});
		it('a placeholder right after a backslash in a JSON string', () => {
			assert.deepEqual(refusal('{"a": "\\{{type}}"}'), { reason: 'a placeholder cannot follow a backslash inside a JSON string', line: 1, column: 9 });
		});
		it('a section that starts inside a JSON string and ends outside it', () => {
			assert.match(refusal('{"a": "{{#type}}x", "b": 1{{/type}}}').reason, /the section type must end where it started/);
		});
		it('a JSON string left open', () => {
			assert.match(refusal('{"a": "x}').reason, /a JSON string is not closed/);
		});
		it('a template over the size limit, placed at the limit', () => {
			const source = `"${'x'.repeat(TEMPLATE_LIMITS.templateLength)}"`;
			assert.match(refusal(source).reason, new RegExp(`at most ${TEMPLATE_LIMITS.templateLength}`));
		});
		it('sections nested too deep', () => {
			const depth = TEMPLATE_LIMITS.sectionDepth + 1;
			const source = Array.from({ length: depth }, (_, i) => `{{#s${i}}}`).join('') + Array.from({ length: depth }, (_, i) => `{{/s${depth - 1 - i}}}`).join('');
			assert.match(refusal(source, 'text/plain').reason, /sections nest more than/);
		});
		it('JSON nested too deep', () => {
			assert.match(refusal('['.repeat(TEMPLATE_LIMITS.jsonDepth + 1) + ']'.repeat(TEMPLATE_LIMITS.jsonDepth + 1)).reason, /the JSON nests more than/);
		});
		it('too many pieces', () => {
			assert.match(refusal('{{type}}'.repeat(TEMPLATE_LIMITS.tokens + 1), 'text/plain').reason, /more than \d+ pieces/);
		});
	});

	describe('render failures: a reason and a place, never a partial body', () => {
		it('a body that is not JSON names the piece that broke it', () => {
			const source = '{\n  "files": [{{#body.note.files}}{{.}}{{/body.note.files}}]\n}';
			const result = renderTemplate(compiled(source), { body: { note: { files: ['a', 'b'] } } });
			assert.equal(result.ok, false);
			const { problem } = result as Extract<typeof result, { ok: false }>;
			assert.match(problem.reason, /not valid JSON/);
			assert.equal(placeOf(source, problem.offset).line, 2);
		});
		it('output over the limit', () => {
			const result = renderTemplate(compiled('{{#body.items}}{{body.big}}{{/body.items}}', 'text/plain'), { body: { items: Array.from({ length: 100 }, () => 1), big: 'x'.repeat(10_000) } });
			assert.equal(result.ok, false);
			assert.match((result as { problem: { reason: string } }).problem.reason, /longer than/);
		});
		it('a render that takes too many steps (sections over long lists inside each other)', () => {
			const list = Array.from({ length: 200 }, (_, i) => i);
			const result = renderTemplate(compiled('{{#body.a}}{{#body.a}}.{{/body.a}}{{/body.a}}', 'text/plain'), { body: { a: list } });
			assert.equal(result.ok, false);
			assert.match((result as { problem: { reason: string } }).problem.reason, /more than \d+ steps/);
		});
	});

	describe('fields checked against the events\' schemas', () => {
		const fields = (source: string, types: readonly string[], kind: 'user' | 'system' = 'user') => unknownFields(compiled(source, 'text/plain').pieces, types as never, kind);
		it('accepts the envelope\'s fields and the body\'s, through references, unions, lists and maps', () => {
			assert.equal(fields('{{server}} {{hookId}} {{userId}} {{eventId}} {{createdAt}} {{type}} {{body.note.text}} {{body.note.user.username}} {{body.note.reply.user.host}} {{body.note.files.0.url}} {{body.note.emojis.blobcat}}', ['note', 'reply']), null);
			assert.equal(fields('{{#body.note.files}}{{name}} {{type}}{{/body.note.files}}', ['note']), null);
			assert.equal(fields('{{body.targetUser.username}} {{body.comment}}', ['abuseReport'], 'system'), null);
		});
		it('refuses a field the event does not have, naming the event and the place', () => {
			const problem = fields('a\n {{body.note.txt}}', ['note']);
			assert.deepEqual(problem && { reason: problem.reason, eventType: problem.eventType, offset: problem.offset }, { reason: 'the note event has no field body.note.txt', eventType: 'note', offset: 3 });
			assert.equal(fields('{{userId}}', ['userCreated'], 'system')?.reason, 'the userCreated event has no field userId');
			assert.equal(fields('{{body.note.text}}', ['note', 'follow'])?.eventType, 'follow');
		});
		it('a section guards what only some events have; a section no subscribed event has is refused', () => {
			assert.equal(fields('{{#body.note}}{{body.note.text}}{{/body.note}}{{#body.user}}{{body.user.username}}{{/body.user}}', ['note', 'follow']), null);
			assert.equal(fields('{{#body.nothing}}x{{/body.nothing}}', ['note', 'follow'])?.reason, 'no subscribed event has the field body.nothing');
		});
	});
});
