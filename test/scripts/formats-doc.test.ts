import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { FORMATS_DOC_PATH, renderFormatsDoc } from '../../scripts/render-format-examples.js';
import { MATTERMOST_TEMPLATE, ROCKET_CHAT_TEMPLATE } from '../../scripts/format-templates.js';
import { systemWebhookEventTypes, userWebhookEventTypes } from '../../src/events/catalogue.js';

describe('docs/formats.md', () => {
	it('is what npm run docs:formats renders from the code today (run it after changing a renderer)', async () => {
		assert.equal(await readFile(FORMATS_DOC_PATH, 'utf8'), renderFormatsDoc());
	});

	it('shows an example of every event type for every destination, each in its own shape', () => {
		const doc = renderFormatsDoc();
		// Each destination's label and the first key of its body, in the order the doc lists them.
		const shapes = [['Discord', 'embeds'], ['Slack', 'text'], ['Microsoft Teams', 'type'], ['Google Chat', 'fallbackText'], ['Telegram[^\\n]*', 'chat_id'], ['ntfy[^\\n]*', 'topic'], ['Gotify', 'title']];
		const example = shapes.map(([label, key]) => `${label}:\\n\\n\`\`\`json\\n\\{\\n  "${key}"[\\s\\S]*?`).join('\\n\\n');
		for (const type of [...userWebhookEventTypes, ...systemWebhookEventTypes]) {
			assert.match(doc, new RegExp(`### \`${type}\`\\n\\n${example}\`\`\`\\n`), type);
		}
	});

	it('gives Mattermost and Rocket.Chat a ready template each, valid JSON around its placeholders', () => {
		for (const template of [MATTERMOST_TEMPLATE, ROCKET_CHAT_TEMPLATE]) {
			const parsed = JSON.parse(template);
			assert.ok(JSON.stringify(parsed).includes('{{ body.note.text }}'));
			assert.ok(renderFormatsDoc().includes(template));
		}
	});
});
