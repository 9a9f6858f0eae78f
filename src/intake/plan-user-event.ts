import type { HostAdapter } from '../host.js';
import type { UserEventMethod, UserWebhookEventType } from '../events/catalogue.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { DeliveryTarget } from '../delivery/user-webhook-delivery.js';
import type { FollowCreatedEvent, FollowDeletedEvent, FollowRequestAcceptedEvent, FollowRequestCreatedEvent, FollowRequestRejectedEvent, NoteCreatedEvent, NoteDeletedEvent, NoteEditedEvent, ReactionCreatedEvent } from '../events/host-event-types.js';
import {
	recipientsOfFollowCreated,
	recipientsOfFollowDeleted,
	recipientsOfFollowRequestAccepted,
	recipientsOfFollowRequestCreated,
	recipientsOfFollowRequestRejected,
	recipientsOfNoteCreated,
	recipientsOfNoteDeleted,
	recipientsOfNoteEdited,
	recipientsOfReactionCreated,
	threadIdOf,
	threadMutableEventTypes,
	type Recipient,
} from '../events/rules.js';
import { BodyPacker } from '../events/body-packer.js';
import type { NoteWebhookBody } from '../generated/events/note.js';
import { webhooksWantingEvent, type NoteVisibility } from '../events/note-visibility.js';
import { webhooksPassingFilters, type FilteredOut } from '../events/content-filter.js';

/** What planning a user event reads: the registry to match webhooks, the host to ask about mutes and to pack. */
export interface UserEventPlanning {
	registry: Pick<WebhookRegistry, 'match'>;
	host: Pick<HostAdapter, 'isThreadMuted' | 'packNote' | 'packUserLite' | 'packUserDetailed'>;
}

/** One owner's matching webhooks, the type the rules chose, and the body the host packed. */
export interface UserPlannedDelivery {
	kind: 'user';
	targets: readonly DeliveryTarget[];
	type: UserWebhookEventType;
	body: unknown;
}

/** Which user event went wrong, where, and for whom. */
export type UserEventPlanFailure = {
	event: UserEventMethod;
	error: unknown;
} & (
	| { stage: 'threadMuting'; ownerId: string }
	| { stage: 'packing'; ownerId: string; type: UserWebhookEventType }
	/** Anything outside one recipient's steps, e.g. a malformed event. */
	| { stage: 'event' }
);

export interface UserEventPlan {
	deliveries: UserPlannedDelivery[];
	failures: UserEventPlanFailure[];
	filtered: FilteredOut[];
}

const NO_ONE: ReadonlySet<string> = new Set();

/**
 * A user event's deliveries, in rule order (note → mentions → reply → renote): the rules name the recipients, the
 * registry their webhooks, the host packs each distinct body once. `payload` is what the host raised (or the intake
 * kept), unchecked: a malformed one throws in the rules and is an `event` failure.
 */
export async function planUserEvent(name: UserEventMethod, payload: unknown, deps: UserEventPlanning): Promise<UserEventPlan> {
	const plan: UserEventPlan = { deliveries: [], failures: [], filtered: [] };
	try {
		if (name === 'noteCreated') {
			const event = payload as NoteCreatedEvent;
			// Muting only removes recipients, so the rule without any mute names everyone who might be asked.
			const candidates = recipientsOfNoteCreated(event, { threadMutedBy: NO_ONE });
			const muted = await threadMutedBy(event, candidates, deps, plan);
			const recipients = muted.size === 0 ? candidates : recipientsOfNoteCreated(event, { threadMutedBy: muted });
			const packer = new BodyPacker(deps.host);
			if (event.packedNote !== undefined && event.packedNote !== null) packer.known({ kind: 'note', noteId: event.note.id, viewerId: null }, { note: event.packedNote as NoteWebhookBody['note'] });
			await packFor(name, recipients, event.note.visibility, deps, plan, packer);
		} else if (name === 'noteEdited') {
			// An edited note is left out where the note itself would be.
			const event = payload as NoteEditedEvent;
			await packFor(name, recipientsOfNoteEdited(event), event.note.visibility, deps, plan, new BodyPacker(deps.host));
		} else {
			await packFor(name, recipientsOf(name, payload), undefined, deps, plan, new BodyPacker(deps.host));
		}
	} catch (error) {
		plan.failures.push({ event: name, stage: 'event', error });
	}
	return plan;
}

function recipientsOf(name: Exclude<UserEventMethod, 'noteCreated' | 'noteEdited'>, payload: unknown): Recipient[] {
	switch (name) {
		case 'followCreated': return recipientsOfFollowCreated(payload as FollowCreatedEvent);
		case 'followDeleted': return recipientsOfFollowDeleted(payload as FollowDeletedEvent);
		case 'followRequestRejected': return recipientsOfFollowRequestRejected(payload as FollowRequestRejectedEvent);
		case 'reactionCreated': return recipientsOfReactionCreated(payload as ReactionCreatedEvent);
		case 'noteDeleted': return recipientsOfNoteDeleted(payload as NoteDeletedEvent);
		case 'followRequestCreated': return recipientsOfFollowRequestCreated(payload as FollowRequestCreatedEvent);
		case 'followRequestAccepted': return recipientsOfFollowRequestAccepted(payload as FollowRequestAcceptedEvent);
	}
}

// Only owners with a matching webhook are asked for, so most notes cost no query. A failed answer counts as muted:
// better one missed reply or mention than one the user asked not to get.
async function threadMutedBy(event: NoteCreatedEvent, candidates: Recipient[], deps: UserEventPlanning, plan: UserEventPlan): Promise<ReadonlySet<string>> {
	const hasWebhooks = (recipient: Recipient) => deps.registry.match(recipient.ownerId, recipient.type).length > 0;
	const asked = new Set(candidates.filter((r) => threadMutableEventTypes.has(r.type) && hasWebhooks(r)).map((r) => r.ownerId));
	if (asked.size === 0) return NO_ONE;
	const threadId = threadIdOf(event.note);
	const muted = new Set<string>();
	await Promise.all([...asked].map(async (ownerId) => {
		try {
			if (await deps.host.isThreadMuted(ownerId, threadId)) muted.add(ownerId);
		} catch (error) {
			muted.add(ownerId);
			plan.failures.push({ event: 'noteCreated', stage: 'threadMuting', ownerId, error });
		}
	}));
	return muted;
}

// Bodies are packed concurrently, but planned one (owner, type) at a time in rule order. A note's visibility leaves out
// the webhooks that filter it before anything is packed; content filters read the packed body, so they come after.
async function packFor(name: UserEventMethod, recipients: Recipient[], visibility: NoteVisibility | undefined, deps: UserEventPlanning, plan: UserEventPlan, packer: BodyPacker): Promise<void> {
	const wanted = recipients
		.map((recipient) => ({ recipient, webhooks: webhooksWantingEvent(deps.registry.match(recipient.ownerId, recipient.type), recipient.type, visibility) }))
		.filter(({ webhooks }) => webhooks.length > 0);
	// Packing starts for every recipient at once; each result is awaited below, in order.
	for (const { recipient } of wanted) void packer.pack(recipient.body);
	for (const { recipient: { ownerId, type, body: spec }, webhooks } of wanted) {
		let body: unknown;
		try {
			body = await packer.pack(spec);
		} catch (error) {
			plan.failures.push({ event: name, stage: 'packing', ownerId, type, error });
			continue;
		}
		const { passing, filteredOut } = webhooksPassingFilters(webhooks, body);
		if (filteredOut > 0) plan.filtered.push({ kind: 'user', type, count: filteredOut });
		if (passing.length > 0) plan.deliveries.push({ kind: 'user', targets: passing, type, body });
	}
}
