import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { FORMATS_DOC_PATH, renderFormatsDoc } from '../../scripts/render-format-examples.js';

describe('docs/formats.md', () => {
	it('is what npm run docs:formats renders from the code today (run it after changing a renderer)', async () => {
		assert.equal(await readFile(FORMATS_DOC_PATH, 'utf8'), renderFormatsDoc());
	});

	it('shows a Discord and a Slack example of every event type', () => {
		const doc = renderFormatsDoc();
		for (const type of ['note', 'reply', 'renote', 'mention', 'reaction', 'follow', 'followed', 'unfollow', 'abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged', 'userWebhookDisabled']) {
			assert.match(doc, new RegExp(`### \`${type}\`\\n\\nDiscord:\\n\\n\`\`\`json\\n\\{\\n  "embeds"[\\s\\S]*?\\n\\nSlack:\\n\\n\`\`\`json\\n\\{\\n  "text"`), type);
		}
	});
});
