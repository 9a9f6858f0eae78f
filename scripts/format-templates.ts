// Ready payload templates for the receivers that are not formats of their own (docs/formats.md, "Mattermost and
// Rocket.Chat"): JSON with `{{ … }}` placeholders inside strings, for the `note` event.

/** Mattermost's incoming webhook: a Slack-style attachment, which Mattermost renders with its own markdown. */
export const MATTERMOST_TEMPLATE = JSON.stringify({
	username: 'Misskey',
	text: '{{ body.note.user.username }} posted a note',
	attachments: [{
		fallback: '{{ body.note.user.username }} posted a note',
		color: '#86b300',
		author_name: '{{ body.note.user.name }} (@{{ body.note.user.username }})',
		author_icon: '{{ body.note.user.avatarUrl }}',
		title: 'Open the note',
		title_link: '{{ server }}/notes/{{ body.note.id }}',
		// A note behind a CW shows only its CW here: its text is read on the server.
		text: '{{^body.note.cw}}{{ body.note.text }}{{/body.note.cw}}{{#body.note.cw}}CW: {{ body.note.cw }} (the text is on the server){{/body.note.cw}}',
		footer: '{{ type }} · {{ server }}',
	}],
}, null, 2);

/** Rocket.Chat's incoming webhook (no integration script): `text` and a Slack-style attachment. */
export const ROCKET_CHAT_TEMPLATE = JSON.stringify({
	alias: 'Misskey',
	text: '{{ body.note.user.username }} posted a note',
	attachments: [{
		color: '#86b300',
		author_name: '{{ body.note.user.name }} (@{{ body.note.user.username }})',
		author_icon: '{{ body.note.user.avatarUrl }}',
		title: 'Open the note',
		title_link: '{{ server }}/notes/{{ body.note.id }}',
		// A note behind a CW shows only its CW here: its text is read on the server.
		text: '{{^body.note.cw}}{{ body.note.text }}{{/body.note.cw}}{{#body.note.cw}}CW: {{ body.note.cw }} (the text is on the server){{/body.note.cw}}',
	}],
}, null, 2);
