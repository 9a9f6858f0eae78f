import type { Note } from '../../generated/note.js';
import type { UserLite } from '../../generated/user-lite.js';
import type { AbuseReportPayload } from '../../generated/abuse-report-payload.js';
import type { RenderContext, WebhookEvent } from './webhook-event.js';
import { fitText } from './text-units.js';

/**
 * One event as a chat message describes it, before any service's markup: the Discord and Slack renderers both draw
 * from it, so every event reads the same in both. Every string is plain text; the renderers escape and cut it.
 */
export interface EventView {
	/** Who did what, in one line. */
	title: string;
	/** Where the title leads: the note, the user, the moderation page. */
	url: string;
	/** Who did it, when a user did. */
	actor?: UserRef;
	/** User-written text the event carries: a note's text behind its CW, an abuse report's comment. */
	text?: UserText;
	fields: ViewField[];
	/** A colour for the event's kind (Discord's embed bar), 0xRRGGBB. */
	color: number;
	/** The event type and the server's host, for the footer. */
	footer: string;
	/** The delivery's time, ISO 8601. */
	timestamp: string;
}

export interface UserRef {
	/** The display name, or the username when the user set none. */
	name: string;
	/** `@username` for a local user, `@username@host` for a remote one. */
	acct: string;
	/** The user's page on this server. */
	url: string;
	avatarUrl?: string;
}

export interface UserText {
	/** The content warning the text hides behind; null when there is none. */
	cw: string | null;
	/** The text itself; '' when there is none (a note of only a CW, files or a renote). */
	text: string;
}

export interface ViewField {
	name: string;
	value: string;
	/** Where the value leads, when it names a note or a user. */
	url?: string;
}

// Colours per kind of event, so a channel reads at a glance.
const COLOR = { note: 0x86b300, social: 0x3b82f6, reaction: 0xeab308, moderation: 0xdc2626, resolved: 0x16a34a, notice: 0x64748b } as const;

const VISIBILITY_LABEL: Record<Exclude<Note['visibility'], 'public'>, string> = {
	home: 'home timeline only',
	followers: 'followers only',
	specified: 'direct (specified users)',
};

// How much of a quoted note (the one replied to or renoted) a field shows: a reminder, not the note.
const QUOTE_LENGTH = 200;

/** The plain description of one event on the server at `context.serverUrl`. */
export function eventView(event: WebhookEvent, context: RenderContext): EventView {
	const links = new ServerLinks(context.serverUrl);
	const base = { footer: `${event.type} · ${links.host}`, timestamp: new Date(context.createdAt).toISOString() };
	switch (event.type) {
		case 'note':
			return { ...base, ...noteView(event.body.note, links, (who) => `${who} posted a note`), color: COLOR.note };
		case 'reply':
			return { ...base, ...noteView(event.body.note, links, (who) => `${who} replied to your note`), color: COLOR.note };
		case 'renote':
			return { ...base, ...noteView(event.body.note, links, (who) => `${who} renoted your note`), color: COLOR.note };
		case 'mention':
			return { ...base, ...noteView(event.body.note, links, (who) => `${who} mentioned you`), color: COLOR.note };
		case 'reaction': {
			const actor = links.user(event.body.user);
			const note = noteView(event.body.note, links, () => '');
			return {
				...base, ...note,
				title: `${actor.name} reacted ${reactionLabel(event.body.reaction)} to your note`,
				actor,
				fields: [{ name: 'Reaction', value: reactionLabel(event.body.reaction) }, ...note.fields],
				color: COLOR.reaction,
			};
		}
		case 'follow': {
			const user = links.user(event.body.user);
			return { ...base, title: `You followed ${user.name}`, url: user.url, actor: user, fields: [{ name: 'User', value: user.acct, url: user.url }], color: COLOR.social };
		}
		case 'unfollow': {
			const user = links.user(event.body.user);
			return { ...base, title: `You unfollowed ${user.name}`, url: user.url, actor: user, fields: [{ name: 'User', value: user.acct, url: user.url }], color: COLOR.social };
		}
		case 'followed': {
			const user = links.user(event.body.user);
			return { ...base, title: `${user.name} followed you`, url: user.url, actor: user, fields: [{ name: 'User', value: user.acct, url: user.url }], color: COLOR.social };
		}
		case 'noteEdited':
			return { ...base, ...noteView(event.body.note, links, (who) => `${who} edited a note`), color: COLOR.note };
		case 'noteDeleted': {
			const actor = links.user(event.body.note.user);
			return {
				...base,
				title: `${actor.name} deleted a note`,
				url: actor.url,
				actor,
				fields: [{ name: 'Note', value: event.body.note.id }, { name: 'Deleted at', value: event.body.note.deletedAt }],
				color: COLOR.note,
			};
		}
		case 'followRequestReceived': {
			const user = links.user(event.body.user);
			return { ...base, title: `${user.name} asked to follow you`, url: user.url, actor: user, fields: [{ name: 'User', value: user.acct, url: user.url }], color: COLOR.social };
		}
		case 'followRequestAccepted': {
			const user = links.user(event.body.user);
			return { ...base, title: `${user.name} accepted your follow request`, url: user.url, actor: user, fields: [{ name: 'User', value: user.acct, url: user.url }], color: COLOR.social };
		}
		case 'abuseReport':
			return { ...base, ...reportView(event.body, links, 'New abuse report'), color: COLOR.moderation };
		case 'abuseReportAutoResolved': {
			const verdict = event.body.resolvedAs === 'accept' ? 'accepted' : event.body.resolvedAs === 'reject' ? 'rejected' : 'resolved';
			const view = reportView(event.body, links, `Abuse report ${verdict} by a rule`);
			if (event.body.moderationNote !== '') view.fields.push({ name: 'Moderation note', value: event.body.moderationNote });
			return { ...base, ...view, color: COLOR.resolved };
		}
		case 'abuseReportResolved': {
			const verdict = event.body.resolvedAs === 'accept' ? 'accepted' : event.body.resolvedAs === 'reject' ? 'rejected' : 'resolved';
			const view = reportView(event.body, links, `Abuse report ${verdict}`);
			if (event.body.moderationNote !== '') view.fields.push({ name: 'Moderation note', value: event.body.moderationNote });
			return { ...base, ...view, color: COLOR.resolved };
		}
		case 'userCreated': {
			const user = links.user(event.body);
			return { ...base, title: `New user: ${user.name}`, url: user.url, actor: user, fields: [{ name: 'User', value: user.acct, url: user.url }], color: COLOR.social };
		}
		case 'inactiveModeratorsWarning': {
			const { asDays, asHours } = event.body.remainingTime;
			return {
				...base,
				title: 'No moderator has been active recently',
				url: links.page('/admin/moderation'),
				text: { cw: null, text: `Unless a moderator is active again, registration switches to invitation-only in ${asDays} days (${asHours} hours).` },
				fields: [{ name: 'Time left', value: `${asDays} days (${asHours} hours)` }],
				color: COLOR.notice,
			};
		}
		case 'inactiveModeratorsInvitationOnlyChanged':
			return {
				...base,
				title: 'Registration is now invitation-only',
				url: links.page('/admin/moderation'),
				text: { cw: null, text: 'No moderator was active for too long, so new users now need an invitation code.' },
				fields: [],
				color: COLOR.notice,
			};
		case 'userWebhookDisabled': {
			const owner = event.body.user ? links.user(event.body.user) : undefined;
			const fields: ViewField[] = [{ name: 'Webhook', value: event.body.webhook.name }, { name: 'URL', value: event.body.webhook.url }];
			fields.push(owner ? { name: 'Owner', value: owner.acct, url: owner.url } : { name: 'Owner', value: event.body.webhook.userId });
			fields.push({ name: 'Paused because', value: event.body.pausedBy === 'gone' ? 'the receiver answered 410 Gone' : 'its deliveries kept failing' });
			return {
				...base,
				title: `A user webhook was paused: ${event.body.webhook.name}`,
				url: owner?.url ?? links.page('/admin/users'),
				...(owner ? { actor: owner } : {}),
				text: { cw: null, text: event.body.reason },
				fields,
				color: COLOR.notice,
			};
		}
	}
}

function noteView(note: Note, links: ServerLinks, title: (who: string) => string): Omit<EventView, 'color' | 'footer' | 'timestamp'> {
	const actor = links.user(note.user);
	const fields: ViewField[] = [];
	// A chat channel may be read by more people than the note was meant for: say so when it was not public.
	if (note.visibility !== 'public') fields.push({ name: 'Visibility', value: VISIBILITY_LABEL[note.visibility] });
	if (note.reply) fields.push({ name: `Reply to ${links.user(note.reply.user).acct}`, value: quote(note.reply), url: links.note(note.reply.id) });
	if (note.renote) fields.push({ name: `Renote of ${links.user(note.renote.user).acct}`, value: quote(note.renote), url: links.note(note.renote.id) });
	const files = Math.max(note.files?.length ?? 0, note.fileIds?.length ?? 0);
	if (files > 0) fields.push({ name: 'Files', value: String(files) });
	if (note.poll) fields.push({ name: 'Poll', value: note.poll.choices.map((choice) => choice.text).join(' / ') });
	return {
		title: title(actor.name),
		url: links.note(note.id),
		actor,
		text: { cw: note.cw ?? null, text: note.text ?? '' },
		fields,
	};
}

function reportView(report: AbuseReportPayload, links: ServerLinks, title: string): Omit<EventView, 'color' | 'footer' | 'timestamp'> {
	const fields: ViewField[] = [];
	const target = report.targetUser ? links.user(report.targetUser) : undefined;
	fields.push(target ? { name: 'Reported user', value: target.acct, url: target.url } : { name: 'Reported user', value: report.targetUserId });
	const reporter = report.reporter ? links.user(report.reporter) : undefined;
	fields.push(reporter ? { name: 'Reporter', value: reporter.acct, url: reporter.url } : { name: 'Reporter', value: report.reporterId });
	if (report.assignee) {
		const assignee = links.user(report.assignee);
		fields.push({ name: 'Assignee', value: assignee.acct, url: assignee.url });
	}
	if (report.forwarded) fields.push({ name: 'Forwarded', value: `to ${report.targetUserHost ?? 'the remote server'}` });
	return {
		title: target ? `${title}: ${target.name}` : title,
		url: links.page('/admin/abuses'),
		...(reporter ? { actor: reporter } : {}),
		text: { cw: null, text: report.comment },
		fields,
	};
}

// A quoted note in one short line: its CW in place of its text, so a field never shows what a CW hides.
function quote(note: Note): string {
	if (note.cw) return fitText(`CW: ${note.cw}`, QUOTE_LENGTH);
	return fitText(note.text ?? (note.renote ? '(renote)' : '(no text)'), QUOTE_LENGTH);
}

/** A reaction as people write it: a local custom emoji as `:name:` (Misskey stores it as `:name@.:`). */
function reactionLabel(reaction: string): string {
	return reaction.replace(/^:([^:@]+)@\.:$/, ':$1:');
}

/** Links to pages of the server the events come from. */
class ServerLinks {
	readonly host: string;
	constructor(private readonly serverUrl: string) {
		this.host = hostOf(serverUrl);
	}

	page(path: string): string {
		return `${this.serverUrl}${path}`;
	}

	note(id: string): string {
		return `${this.serverUrl}/notes/${id}`;
	}

	user(user: Pick<UserLite, 'username' | 'host' | 'name' | 'avatarUrl'>): UserRef {
		const acct = user.host ? `@${user.username}@${user.host}` : `@${user.username}`;
		const name = user.name && user.name.trim() !== '' ? user.name : user.username;
		return { name, acct, url: `${this.serverUrl}/${acct}`, ...(user.avatarUrl ? { avatarUrl: user.avatarUrl } : {}) };
	}
}

/** The host of the server URL, for footers. */
export function hostOf(serverUrl: string): string {
	try {
		return new URL(serverUrl).host;
	} catch {
		return serverUrl;
	}
}
