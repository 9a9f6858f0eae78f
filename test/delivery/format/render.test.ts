import assert from 'node:assert/strict';
import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { KnownBlock } from '@slack/types';
import { systemWebhookEventTypes, userWebhookEventTypes } from '../../../src/events/catalogue.js';
import type { WebhookEvent } from '../../../src/delivery/format/webhook-event.js';
import type { EventBodies } from '../../../src/events/catalogue.js';
import { discordBodyOf, slackBodyOf } from '../../../src/delivery/format/render.js';
import { chatBodyOf } from '../../../src/delivery/format/delivery-body.js';
import { escapeDiscordMarkdown } from '../../../src/delivery/format/discord.js';
import type { SlackWebhookPayload } from '../../../src/delivery/format/slack.js';
import { ELLIPSIS, fitText, textUnits } from '../../../src/delivery/format/text-units.js';
import type { UserWebhookDeliverJobData } from '../../../src/delivery/job/job-data.js';
import { EXAMPLE_CREATED_AT, EXAMPLE_SERVER_URL, exampleEvents, exampleNote, exampleUser } from '../../../scripts/format-example-events.js';
import { discordViolations, slackViolations } from './limits.js';

const context = { serverUrl: EXAMPLE_SERVER_URL, createdAt: EXAMPLE_CREATED_AT };

// Both renderers are typed by the services' own packages: these annotations fail to compile if a renderer's result
// stops being a Discord Execute Webhook body or a Slack message of Block Kit blocks.
function discord(event: WebhookEvent): RESTPostAPIWebhookWithTokenJSONBody {
	return discordBodyOf(event, context);
}
function slack(event: WebhookEvent): SlackWebhookPayload & { blocks: KnownBlock[] } {
	return slackBodyOf(event, context);
}

/** Every example of every event type, typed: a type without examples fails to compile (see exampleEvents). */
function everyExample(): WebhookEvent[] {
	return (Object.keys(exampleEvents) as Array<keyof EventBodies>).flatMap((type) => exampleEvents[type].map((body) => ({ type, body }) as WebhookEvent));
}

/** What each event's message must say and where it must lead; a missing event type fails to compile. */
const expected: { [Type in keyof EventBodies]: { title: RegExp; url: string; says?: string } } = {
	note: { title: /^Alice :blobcat: posted a note$/, url: `${EXAMPLE_SERVER_URL}/notes/9x0note001`, says: 'Good morning!' },
	reply: { title: /^bob replied to your note$/, url: `${EXAMPLE_SERVER_URL}/notes/9x0note002`, says: 'Congratulations' },
	renote: { title: /^bob renoted your note$/, url: `${EXAMPLE_SERVER_URL}/notes/9x0note003`, says: 'Good morning!' },
	mention: { title: /^bob mentioned you$/, url: `${EXAMPLE_SERVER_URL}/notes/9x0note004`, says: 'Meetup plans' },
	reaction: { title: /^bob reacted (:blobcat_heart:|👍) to your note$/, url: `${EXAMPLE_SERVER_URL}/notes/9x0note001`, says: 'Good morning!' },
	follow: { title: /^You followed bob$/, url: `${EXAMPLE_SERVER_URL}/@bob@remote.example`, says: '@bob@remote.example' },
	followed: { title: /^bob followed you$/, url: `${EXAMPLE_SERVER_URL}/@bob@remote.example`, says: '@bob@remote.example' },
	unfollow: { title: /^You unfollowed bob$/, url: `${EXAMPLE_SERVER_URL}/@bob@remote.example`, says: '@bob@remote.example' },
	noteEdited: { title: /^Alice :blobcat: edited a note$/, url: `${EXAMPLE_SERVER_URL}/notes/9x0note001`, says: 'the link works now' },
	noteDeleted: { title: /^Alice :blobcat: deleted a note$/, url: `${EXAMPLE_SERVER_URL}/@alice`, says: '9x0note001' },
	followRequestReceived: { title: /^bob asked to follow you$/, url: `${EXAMPLE_SERVER_URL}/@bob@remote.example`, says: '@bob@remote.example' },
	followRequestAccepted: { title: /^bob accepted your follow request$/, url: `${EXAMPLE_SERVER_URL}/@bob@remote.example`, says: '@bob@remote.example' },
	abuseReportAutoResolved: { title: /^Abuse report rejected by a rule: bob$/, url: `${EXAMPLE_SERVER_URL}/admin/abuses`, says: 'Closed by the rule' },
	abuseReport: { title: /^New abuse report: bob$/, url: `${EXAMPLE_SERVER_URL}/admin/abuses`, says: 'under every note' },
	abuseReportResolved: { title: /^Abuse report accepted: bob$/, url: `${EXAMPLE_SERVER_URL}/admin/abuses`, says: 'Suspended for a week.' },
	userCreated: { title: /^New user: Dave$/, url: `${EXAMPLE_SERVER_URL}/@dave`, says: '@dave' },
	inactiveModeratorsWarning: { title: /^No moderator has been active recently$/, url: `${EXAMPLE_SERVER_URL}/admin/moderation`, says: '2 days (48 hours)' },
	inactiveModeratorsInvitationOnlyChanged: { title: /^Registration is now invitation-only$/, url: `${EXAMPLE_SERVER_URL}/admin/moderation`, says: 'invitation code' },
	userWebhookDisabled: { title: /^A user webhook was paused: Notes to my blog$/, url: `${EXAMPLE_SERVER_URL}/@alice`, says: '503 Service Unavailable' },
};

function noteEvent(text: string | null, cw: string | null = null): WebhookEvent {
	return { type: 'note', body: { note: exampleNote('9x0long001', exampleUser('alice', 'Alice'), text, { cw }) } };
}

function descriptionOf(body: RESTPostAPIWebhookWithTokenJSONBody): string {
	return body.embeds?.[0]?.description ?? '';
}

function slackSectionTexts(body: { blocks: KnownBlock[] }): string[] {
	return body.blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
}

/** Whether `index` falls between two units of `units` (never inside one). */
function isUnitBoundary(units: readonly string[], index: number): boolean {
	let at = 0;
	for (const unit of units) {
		if (at === index) return true;
		at += unit.length;
	}
	return at === index;
}

describe('payload formats: Discord and Slack bodies of every event', () => {
	it('the examples cover every event type of the catalogue, user and system', () => {
		assert.deepEqual(Object.keys(exampleEvents).sort(), [...userWebhookEventTypes, ...systemWebhookEventTypes].sort());
	});

	for (const event of everyExample()) {
		const label = `${event.type}${event.type === 'reaction' ? ` ${event.body.reaction}` : ''}`;
		it(`${label}: within Discord's limits, says who did what, and links to it`, () => {
			const body = discord(event);
			assert.deepEqual(discordViolations(body), []);
			const embed = body.embeds![0]!;
			assert.match(embed.title!, expected[event.type].title);
			assert.equal(embed.url, expected[event.type].url);
			// As a reader sees it: Discord hides the backslash of an escape.
			const shown = JSON.stringify(body).replace(/\\\\/g, '');
			assert.ok(shown.includes(expected[event.type].says ?? ''), `the message says "${expected[event.type].says}"`);
			assert.equal(embed.timestamp, '2025-09-08T09:30:00.000Z');
			assert.equal(JSON.stringify(discord(event)), JSON.stringify(body), 'the same event renders the same bytes');
		});

		it(`${label}: within Slack's limits, says who did what, and links to it`, () => {
			const body = slack(event);
			assert.deepEqual(slackViolations(body), []);
			const header = body.blocks[0]!;
			assert.equal(header.type, 'header');
			assert.match(header.type === 'header' ? header.text.text : '', expected[event.type].title);
			assert.ok(JSON.stringify(body).includes(`<${expected[event.type].url}|Open>`), 'the footer links to it');
			assert.ok(JSON.stringify(body).includes(expected[event.type].says ?? ''), `the message says "${expected[event.type].says}"`);
		});
	}

	it('a note that is not public says so in a field; a public one does not', () => {
		const followersOnly: WebhookEvent = { type: 'note', body: { note: exampleNote('9x0priv001', exampleUser('alice', 'Alice'), 'for my followers', { visibility: 'followers' }) } };
		assert.deepEqual(discord(followersOnly).embeds![0]!.fields?.[0], { name: 'Visibility', value: 'followers only', inline: true });
		assert.ok(JSON.stringify(slack(followersOnly)).includes('*Visibility*\\nfollowers only'));
		assert.equal(JSON.stringify(discord(noteEvent('public'))).includes('Visibility'), false);
	});

	it("a remote user is named @user@host and linked to the server's page of them; a local one @user", () => {
		const body = discord({ type: 'followed', body: { user: exampleUser('bob', 'Bob', 'remote.example') } });
		assert.equal(body.embeds![0]!.author!.url, `${EXAMPLE_SERVER_URL}/@bob@remote.example`);
		assert.equal(body.embeds![0]!.author!.name, 'Bob (@bob@remote.example)');
		const local = discord({ type: 'followed', body: { user: exampleUser('carol', null) } });
		assert.equal(local.embeds![0]!.author!.url, `${EXAMPLE_SERVER_URL}/@carol`);
		assert.equal(local.embeds![0]!.author!.name, 'carol (@carol)');
	});

	describe('a note of 10,000 characters', () => {
		const long = 'word '.repeat(2000);

		it('Discord: the description is cut to 4,096 with an ellipsis, and all embeds stay within 6,000', () => {
			const body = discord(noteEvent(long));
			assert.deepEqual(discordViolations(body), []);
			const description = descriptionOf(body);
			assert.ok(description.length <= 4096 && description.length > 4000, String(description.length));
			assert.ok(description.endsWith(`word${ELLIPSIS}`));
		});

		it('Slack: the section is cut to 3,000 with an ellipsis', () => {
			const body = slack(noteEvent(long));
			assert.deepEqual(slackViolations(body), []);
			const [text] = slackSectionTexts(body);
			assert.ok(text!.length <= 3000 && text!.length > 2900, String(text!.length));
			assert.ok(text!.endsWith(`word${ELLIPSIS}`));
		});

		it('Discord: escapes count toward the limit and are never split from what they escape', () => {
			const description = descriptionOf(discord(noteEvent('*'.repeat(10_000))));
			assert.ok(description.length <= 4096);
			assert.match(description, /^(\\\*)+…$/);
		});

		it('a note of only markup characters and a 10,000-character CW still keeps every limit', () => {
			const event = noteEvent('_|~'.repeat(3400), '#'.repeat(10_000));
			assert.deepEqual(discordViolations(discord(event)), []);
			assert.deepEqual(slackViolations(slack(event)), []);
		});
	});

	describe('content warnings', () => {
		it('Discord: the CW in bold, the text behind a spoiler', () => {
			const description = descriptionOf(discord(noteEvent('the ending of the film', 'Spoilers for the film')));
			assert.equal(description, '**CW:** Spoilers for the film\n||the ending of the film||');
		});

		it('Discord: a note of only a CW shows the CW and no empty spoiler', () => {
			assert.equal(descriptionOf(discord(noteEvent(null, 'Only a CW'))), '**CW:** Only a CW');
			assert.equal(descriptionOf(discord(noteEvent('', 'Only a CW'))), '**CW:** Only a CW');
		});

		it('Discord: `||` in the hidden text cannot end the spoiler early', () => {
			const description = descriptionOf(discord(noteEvent('a || revealed? ||', 'CW')));
			assert.equal(description.match(/(?<!\\)\|\|/g)?.length, 2, description);
			assert.ok(description.endsWith('\\|\\|||'));
		});

		it('Slack has no spoilers: the CW is shown, the text is left out, and a link leads to the note', () => {
			const body = slack(noteEvent('the ending of the film', 'Spoilers for the film'));
			assert.equal(JSON.stringify(body).includes('the ending of the film'), false);
			const [text] = slackSectionTexts(body);
			assert.equal(text, `*CW:* Spoilers for the film\n_The text is behind the CW: <${EXAMPLE_SERVER_URL}/notes/9x0long001|show it on the server>._`);
		});

		it('Slack: a note of only a CW shows the CW alone', () => {
			assert.deepEqual(slackSectionTexts(slack(noteEvent(null, 'Only a CW'))), ['*CW:* Only a CW']);
		});

		it('a replied-to note behind a CW shows its CW, never its text, in either format', () => {
			const hidden = exampleNote('9x0hidden1', exampleUser('bob', 'Bob'), 'secret plot twist', { cw: 'Spoilers' });
			const event: WebhookEvent = { type: 'reply', body: { note: exampleNote('9x0reply01', exampleUser('alice', 'Alice'), 'ha!', { reply: hidden, replyId: hidden.id }) } };
			for (const body of [discord(event), slack(event)]) {
				assert.equal(JSON.stringify(body).includes('secret plot twist'), false);
				assert.ok(JSON.stringify(body).includes('CW: Spoilers'));
			}
		});
	});

	describe('cutting at the limit', () => {
		const tricky = 'ab😀👨‍👩‍👧‍👦🇯🇵👍🏽 :blobcat: :blob_cat@remote.example: é e\u0301 https://misskey.example/notes/9x0note001 end';
		const units = textUnits(tricky);

		it('splits into graphemes, with custom emoji codes and URLs whole', () => {
			assert.ok(units.includes('👨‍👩‍👧‍👦'));
			assert.ok(units.includes('🇯🇵'));
			assert.ok(units.includes('👍🏽'));
			assert.ok(units.includes('e\u0301'));
			assert.ok(units.includes(':blobcat:'));
			assert.ok(units.includes(':blob_cat@remote.example:'));
			assert.ok(units.includes('https://misskey.example/notes/9x0note001'));
		});

		it('at every limit, the cut falls between units, ends with an ellipsis, and fits', () => {
			for (let limit = 1; limit <= tricky.length + 1; limit++) {
				const cut = fitText(tricky, limit);
				assert.ok(cut.length <= limit, `limit ${limit}: ${cut.length}`);
				if (cut === tricky) continue;
				assert.ok(cut.endsWith(ELLIPSIS), `limit ${limit}: ${cut}`);
				const kept = cut.slice(0, -ELLIPSIS.length);
				assert.ok(tricky.startsWith(kept), `limit ${limit}: a prefix`);
				assert.ok(isUnitBoundary(units, kept.length) || isUnitBoundary(units, tricky.trimEnd().length) || tricky.slice(kept.length).match(/^\s/), `limit ${limit}: "${kept}" ends between units`);
				assert.equal(/[\uD800-\uDBFF]$/.test(kept), false, `limit ${limit}: no lone high surrogate`);
			}
		});

		it('a Discord description cut right at a ZWJ family, a flag and a custom emoji keeps each whole or drops it', () => {
			for (const tail of ['👨‍👩‍👧‍👦', '🇯🇵', ':blobcat:', '😀']) {
				for (let pad = 4085; pad <= 4096; pad++) {
					const text = `${'a'.repeat(pad)}${tail.repeat(4)}`;
					const description = descriptionOf(discord(noteEvent(text)));
					assert.ok(description.length <= 4096);
					const kept = description.endsWith(ELLIPSIS) ? description.slice(0, -1) : description;
					assert.ok(isUnitBoundary(textUnits(text), kept.length), `${tail} after ${pad}: cut inside a unit`);
				}
			}
		});

		it('a Slack section cut right at a ZWJ family, a flag and a custom emoji keeps each whole or drops it', () => {
			for (const tail of ['👨‍👩‍👧‍👦', '🇯🇵', ':blobcat:', '😀']) {
				for (let pad = 2990; pad <= 3000; pad++) {
					const text = `${'a'.repeat(pad)}${tail.repeat(4)}`;
					const [section] = slackSectionTexts(slack(noteEvent(text)));
					const kept = section!.endsWith(ELLIPSIS) ? section!.slice(0, -1) : section!;
					assert.ok(section!.length <= 3000);
					assert.ok(isUnitBoundary(textUnits(text), kept.length), `${tail} after ${pad}: cut inside a unit`);
				}
			}
		});
	});

	describe('nothing in a note pings anyone or breaks out of its place', () => {
		const hostile = '@everyone @here <@123456789> <@&987654321> <!everyone> <!channel> [click](https://evil.example) **bold** # heading';

		it('Discord: allowed_mentions parses nothing, `@everyone` stays text, mention and link markup is escaped', () => {
			const body = discord(noteEvent(hostile));
			assert.deepEqual(body.allowed_mentions, { parse: [] });
			const description = descriptionOf(body);
			assert.ok(description.includes('@everyone @here'));
			assert.ok(description.includes('\\<@123456789\\>'));
			assert.ok(description.includes('\\[click\\](https://evil.example)'));
			assert.ok(description.includes('\\*\\*bold\\*\\*'));
			assert.ok(description.includes('\\# heading'));
		});

		it('Slack: `&`, `<` and `>` are escaped, so no <!everyone>, <@U…> or <url|label> comes from a note', () => {
			const body = slack(noteEvent(`${hostile} & <https://evil.example|innocent>`));
			const [text] = slackSectionTexts(body);
			assert.ok(text!.includes('@everyone @here &lt;@123456789&gt;'));
			assert.ok(text!.includes('&lt;!everyone&gt; &lt;!channel&gt;'));
			assert.ok(text!.includes('&amp; &lt;https://evil.example|innocent&gt;'));
			assert.equal(/<!(everyone|here|channel)|<@/.test(JSON.stringify(body)), false);
		});

		it('a display name with markup is escaped in Slack links and Discord fields', () => {
			const user = exampleUser('mallory', 'Mallory <!here> [x](https://evil.example)');
			assert.ok(JSON.stringify(slack({ type: 'followed', body: { user } })).includes('Mallory &lt;!here&gt;'));
			const body = discord({ type: 'abuseReport', body: { ...exampleEvents.abuseReport[0]!, targetUser: user } });
			assert.deepEqual(discordViolations(body), []);
		});

		it('the Discord escaper leaves URLs alone so they stay links', () => {
			assert.equal(fitText('see https://a.example/x_y-(z) *now*', 100, escapeDiscordMarkdown), 'see https://a.example/x_y-(z) \\*now\\*');
		});
	});

	describe('the body a job sends', () => {
		const job: UserWebhookDeliverJobData = {
			type: 'note', content: exampleEvents.note[0], webhookId: '9x0hook001', userId: '9x0alice00', to: 'https://discord.example/api/webhooks/1/x',
			secret: '', createdAt: EXAMPLE_CREATED_AT, eventId: '3f1c1a5e-0c4b-4f55-9d38-2b1f2b0a7a11',
		};

		it('misskey, or no format at all: none here; the sender builds the envelope as always', () => {
			assert.equal(chatBodyOf(job, EXAMPLE_SERVER_URL), null);
			assert.equal(chatBodyOf({ ...job, format: 'misskey' }, EXAMPLE_SERVER_URL), null);
		});

		it('discord and slack: the rendered body as JSON text', () => {
			assert.deepEqual(JSON.parse(chatBodyOf({ ...job, format: 'discord' }, EXAMPLE_SERVER_URL)!), discord({ type: 'note', body: exampleEvents.note[0]! }));
			assert.deepEqual(JSON.parse(chatBodyOf({ ...job, format: 'slack' }, EXAMPLE_SERVER_URL)!), slack({ type: 'note', body: exampleEvents.note[0]! }));
		});

		it('a body not shaped as its schema says still renders a message naming the event, within the limits', () => {
			for (const format of ['discord', 'slack'] as const) {
				const body = JSON.parse(chatBodyOf({ ...job, format, content: { unexpected: true } }, EXAMPLE_SERVER_URL)!);
				assert.deepEqual(format === 'discord' ? discordViolations(body) : slackViolations(body), []);
				assert.ok(JSON.stringify(body).includes('note event on misskey.example'));
			}
		});
	});
});
