import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { KnownBlock } from '@slack/types';
import { systemWebhookEventTypes, userWebhookEventTypes } from '../../../src/events/catalogue.js';
import type { WebhookEvent } from '../../../src/delivery/format/webhook-event.js';
import type { EventBodies } from '../../../src/events/catalogue.js';
import type { chat_v1 } from '@googleapis/chat';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { discordBodyOf, gotifyBodyOf, googleChatBodyOf, ntfyBodyOf, slackBodyOf, teamsBodyOf, telegramBodyOf } from '../../../src/delivery/format/render.js';
import { chatBodyOf, chatRequestOf } from '../../../src/delivery/format/delivery-body.js';
import type { NtfyPublishBody } from '../../../src/delivery/format/ntfy.js';
import type { GotifyMessageBody } from '../../../src/delivery/format/gotify.js';
import type { TeamsWorkflowMessage } from '../../../src/delivery/format/teams.js';
import type { GoogleChatMessage } from '../../../src/delivery/format/google-chat.js';
import { telegramTargetOf, type TelegramSendMessageBody } from '../../../src/delivery/format/telegram.js';
import { ntfyTargetOf } from '../../../src/delivery/format/ntfy-target.js';
import { escapeDiscordMarkdown } from '../../../src/delivery/format/discord.js';
import type { SlackWebhookPayload } from '../../../src/delivery/format/slack.js';
import { ELLIPSIS, fitText, textUnits } from '../../../src/delivery/format/text-units.js';
import type { PayloadFormat } from '../../../src/core/payload-format.js';
import type { UserWebhookDeliverJobData } from '../../../src/delivery/job/job-data.js';
import { EXAMPLE_CREATED_AT, EXAMPLE_SERVER_URL, exampleEvents, exampleNote, exampleUser } from '../../../scripts/format-example-events.js';
import { discordViolations, googleChatViolations, gotifyViolations, ntfyViolations, slackViolations, teamsViolations, telegramViolations } from './limits.js';

const context = { serverUrl: EXAMPLE_SERVER_URL, createdAt: EXAMPLE_CREATED_AT };

// Both renderers are typed by the services' own packages: these annotations fail to compile if a renderer's result
// stops being a Discord Execute Webhook body or a Slack message of Block Kit blocks.
function discord(event: WebhookEvent): RESTPostAPIWebhookWithTokenJSONBody {
	return discordBodyOf(event, context);
}
function slack(event: WebhookEvent): SlackWebhookPayload & { blocks: KnownBlock[] } {
	return slackBodyOf(event, context);
}

// The other destinations, typed the same way: Telegram's sendMessage parameters (@grammyjs/types), an Adaptive Card
// (@microsoft/teams.cards), and Google Chat's Message as Google's own client types it (@googleapis/chat).
function ntfy(event: WebhookEvent): NtfyPublishBody {
	return ntfyBodyOf(event, context, 'misskey-alerts');
}
function gotify(event: WebhookEvent): GotifyMessageBody {
	return gotifyBodyOf(event, context);
}
function teams(event: WebhookEvent): TeamsWorkflowMessage & { attachments: Array<{ content: IAdaptiveCard }> } {
	return teamsBodyOf(event, context);
}
function googleChat(event: WebhookEvent): GoogleChatMessage & chat_v1.Schema$Message {
	return googleChatBodyOf(event, context);
}
function telegram(event: WebhookEvent): TelegramSendMessageBody {
	return telegramBodyOf(event, context, { chatId: '-1001234567890' });
}

/** Each destination beside Discord and Slack: its body of an event, and every way that body breaks the service's rules. */
const destinations = {
	teams: { render: teams, violations: (body: any) => teamsViolations(body), title: (body: any) => body.attachments[0].content.body[0].inlines[0].text },
	googlechat: { render: googleChat, violations: (body: any) => googleChatViolations(body), title: (body: any) => body.cardsV2[0].card.header.title },
	telegram: { render: telegram, violations: (body: any) => telegramViolations(body), title: (body: any) => shownText(body.text.match(/^<b><a href="[^"]*">(.*?)<\/a><\/b>/)?.[1]) },
	ntfy: { render: ntfy, violations: (body: any) => ntfyViolations(body), title: (body: any) => body.title },
	gotify: { render: gotify, violations: (body: any) => gotifyViolations(body), title: (body: any) => body.title },
} as const;

/** A body's text as a reader sees it: JSON's and each service's escapes undone, the invisible mention breaks dropped. */
function shownText(body: unknown): string {
	return (typeof body === 'string' ? body : JSON.stringify(body)).replace(/\\u2060|\u2060/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/\\"/g, '"');
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

describe('payload formats: the body of every event for every destination', () => {
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

	for (const event of everyExample()) {
		const label = `${event.type}${event.type === 'reaction' ? ` ${event.body.reaction}` : ''}`;
		for (const [name, destination] of Object.entries(destinations)) {
			it(`${label}: ${name} within its limits, with the title, the link and what happened`, () => {
				const body = destination.render(event);
				assert.deepEqual(destination.violations(body), []);
				const shown = shownText(body);
				assert.match(destination.title(body), expected[event.type].title);
				assert.ok(shown.includes(expected[event.type].url), `${name}: links to ${expected[event.type].url}`);
				assert.ok(shown.includes(expected[event.type].says ?? ''), `${name}: says "${expected[event.type].says}"`);
				assert.equal(JSON.stringify(destination.render(event)), JSON.stringify(body), 'the same event renders the same bytes');
			});
		}
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

		it('ntfy: posted to the server root with the topic in the body; telegram: the chat from the URL; the others to the URL as given', () => {
			const ntfyJob = { ...job, format: 'ntfy' as const, to: 'https://ntfy.example/misskey-alerts' };
			const request = chatRequestOf(ntfyJob, EXAMPLE_SERVER_URL)!;
			assert.equal(request.url, 'https://ntfy.example/');
			assert.equal(JSON.parse(request.body).topic, 'misskey-alerts');
			const telegramJob = { ...job, format: 'telegram' as const, to: 'https://api.telegram.org/bot1:T/sendMessage?chat_id=42' };
			assert.equal(chatRequestOf(telegramJob, EXAMPLE_SERVER_URL)!.url, telegramJob.to);
			assert.equal(JSON.parse(chatRequestOf(telegramJob, EXAMPLE_SERVER_URL)!.body).chat_id, '42');
			for (const format of ['teams', 'googlechat', 'gotify'] as const) assert.equal(chatRequestOf({ ...job, format }, EXAMPLE_SERVER_URL)!.url, job.to);
		});

		it('discord and slack: the rendered body as JSON text', () => {
			assert.deepEqual(JSON.parse(chatBodyOf({ ...job, format: 'discord' }, EXAMPLE_SERVER_URL)!), discord({ type: 'note', body: exampleEvents.note[0]! }));
			assert.deepEqual(JSON.parse(chatBodyOf({ ...job, format: 'slack' }, EXAMPLE_SERVER_URL)!), slack({ type: 'note', body: exampleEvents.note[0]! }));
		});

		it('a body not shaped as its schema says still renders a message naming the event, within the limits', () => {
			const violations = { discord: discordViolations, slack: slackViolations, ...Object.fromEntries(Object.entries(destinations).map(([name, { violations }]) => [name, violations])) };
			for (const [format, check] of Object.entries(violations) as Array<[PayloadFormat, (body: any) => string[]]>) {
				const body = JSON.parse(chatBodyOf({ ...job, format, to: 'https://receiver.example/topic?chat_id=1', content: { unexpected: true } }, EXAMPLE_SERVER_URL)!);
				assert.deepEqual(check(body), [], format);
				assert.ok(JSON.stringify(body).includes('note event on misskey.example'));
			}
		});
	});

	describe('Teams, Google Chat, Telegram, ntfy and Gotify: limits, CWs and mentions', () => {
		const long = 'word '.repeat(2000);
		const wide = '漢字😀'.repeat(3000);
		const hostileText = '@everyone @here <users/all> <at>Alice</at> <b>bold</b> <a href="https://evil.example">x</a> [click](https://evil.example) **bold** & "quotes" \u0000\u001f';

		for (const [name, destination] of Object.entries(destinations)) {
			it(`${name}: a note of 10,000 characters, one of 9,000 wide characters and one of only markup and a 10,000-character CW keep every limit`, () => {
				for (const event of [noteEvent(long), noteEvent(wide), noteEvent('_|~<>&"'.repeat(1500), '#<&'.repeat(3400)), noteEvent(wide, wide)]) {
					assert.deepEqual(destination.violations(destination.render(event)), []);
				}
			});

			it(`${name}: a long moderation note and receiver URL in fields still leave room for the text`, () => {
				const body = { ...exampleEvents.abuseReportResolved[0]!, comment: long, moderationNote: 'x'.repeat(20_000) };
				const rendered = destination.render({ type: 'abuseReportResolved', body });
				assert.deepEqual(destination.violations(rendered), []);
				assert.ok(shownText(rendered).includes('word word word'), 'the comment is shown');
			});

			it(`${name}: user markup stays text, and nothing in a note can mention anyone`, () => {
				const body = destination.render(noteEvent(hostileText));
				assert.deepEqual(destination.violations(body), []);
				const raw = JSON.stringify(body);
				if (name === 'googlechat' || name === 'telegram') {
					// Read as HTML: every tag a note writes arrives escaped.
					assert.equal(raw.includes('<users/all>'), false);
					assert.equal(raw.includes('<at>'), false);
					assert.equal(raw.includes('href=\\"https://evil.example'), false);
				} else {
					// Plain text (ntfy and Gotify with Markdown off, Teams in TextRuns): carried as written, read as nothing else.
					assert.ok(raw.includes(JSON.stringify(hostileText).slice(1, -1)), `${name} carries the text as written`);
				}
			});
		}

		it('Telegram: the CW in bold, the text in a spoiler; `</tg-spoiler>` in the text cannot end it early', () => {
			const { text } = telegram(noteEvent('the ending </tg-spoiler> of the film', 'Spoilers'));
			assert.ok(text.includes('<b>CW:</b> Spoilers\n<tg-spoiler>the ending &lt;/tg-spoiler&gt; of the film</tg-spoiler>'), text);
		});

		it('Telegram: `@name` in a note gets an invisible word joiner, so it mentions nobody; links keep theirs', () => {
			const { text } = telegram(noteEvent('hi @alice, see https://a.example/@bob'));
			assert.ok(text.includes('hi @\u2060alice, see https://a.example/@bob'), text);
		});

		it('Telegram: chat_id and message_thread_id come from the webhook URL; the bot token stays in the URL', () => {
			assert.deepEqual(telegramTargetOf('https://api.telegram.org/bot123:AAF/sendMessage?chat_id=-100123&message_thread_id=7'), { chatId: '-100123', messageThreadId: 7 });
			assert.deepEqual(telegramTargetOf('https://api.telegram.org/bot123:AAF/sendMessage?chat_id=@mychannel'), { chatId: '@mychannel' });
			assert.deepEqual(telegramTargetOf('https://api.telegram.org/bot123:AAF/sendMessage'), { chatId: '' });
			const body = JSON.stringify(telegram(noteEvent('x')));
			assert.equal(body.includes('AAF'), false);
		});

		it('Teams: the CW shown, the text in a hidden container a "Show text" button reveals', () => {
			const card = teams(noteEvent('the ending of the film', 'Spoilers')).attachments[0]!.content;
			const container = card.body.find((element) => element.type === 'Container');
			assert.ok(container && container.type === 'Container');
			assert.equal(container.isVisible, false);
			assert.ok(JSON.stringify(container.items).includes('the ending of the film'));
			const actionSet = card.body.find((element) => element.type === 'ActionSet');
			assert.deepEqual(actionSet && actionSet.type === 'ActionSet' ? actionSet.actions : [], [{ type: 'Action.ToggleVisibility', title: 'Show text', targetElements: [container.id] }]);
		});

		it('Teams: user text is only ever in TextRuns, which Teams never reads as Markdown', () => {
			const card = teams(noteEvent(hostileText)).attachments[0]!.content;
			assert.equal(JSON.stringify(card).includes('"TextBlock"'), false);
			assert.ok(JSON.stringify(card).includes('[click](https://evil.example) **bold**'));
		});

		it('Google Chat: the CW shown, the text in a collapsed section behind it', () => {
			const [section] = googleChat(noteEvent('the ending of the film', 'Spoilers')).cardsV2[0]!.card.sections;
			assert.deepEqual(section, { collapsible: true, uncollapsibleWidgetsCount: 1, widgets: [{ textParagraph: { text: '<b>CW:</b> Spoilers' } }, { textParagraph: { text: 'the ending of the film' } }] });
		});

		it('Google Chat: user text is HTML-escaped in cards and there is no `text` field to read mentions from', () => {
			const body = googleChat(noteEvent('<b>not bold</b> & <users/all>\nline two'));
			assert.equal('text' in body, false);
			assert.ok(JSON.stringify(body).includes('&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;users/all&gt;<br>line two'));
		});

		for (const name of ['ntfy', 'gotify'] as const) {
			it(`${name} cannot hide text: the CW is shown, the text left out, and the note's address given`, () => {
				const body = destinations[name].render(noteEvent('the ending of the film', 'Spoilers'));
				assert.equal(JSON.stringify(body).includes('the ending of the film'), false);
				assert.ok(body.message.startsWith(`CW: Spoilers\n(The text is behind the CW: ${EXAMPLE_SERVER_URL}/notes/9x0long001)`), body.message);
			});
		}

		it('ntfy: the message is cut by bytes, not characters, within 4,096', () => {
			const { message } = ntfy(noteEvent(wide));
			assert.ok(Buffer.byteLength(message) <= 4096 && Buffer.byteLength(message) > 4000, String(Buffer.byteLength(message)));
			assert.ok(message.endsWith(ELLIPSIS));
		});

		it('ntfy: the JSON goes to the server root with the topic from the URL path; its query is kept', () => {
			assert.deepEqual(ntfyTargetOf('https://ntfy.sh/misskey-alerts'), { publishUrl: 'https://ntfy.sh/', topic: 'misskey-alerts' });
			assert.deepEqual(ntfyTargetOf('https://push.example/ntfy/alerts?auth=tk_abc'), { publishUrl: 'https://push.example/ntfy/?auth=tk_abc', topic: 'alerts' });
		});
	});
});
