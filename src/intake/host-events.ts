import type { HostAdapter } from '../host.js';
import type { UserWebhookEventType } from '../events/catalogue.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { UserWebhookDelivery } from '../delivery/user-webhook-delivery.js';
import type {
	FollowCreatedEvent,
	FollowDeletedEvent,
	FollowRequestRejectedEvent,
	NoteCreatedEvent,
	ReactionCreatedEvent,
} from '../events/host-event-types.js';
import {
	recipientsOfFollowCreated,
	recipientsOfFollowDeleted,
	recipientsOfFollowRequestRejected,
	recipientsOfNoteCreated,
	recipientsOfReactionCreated,
	threadIdOf,
	threadMutableEventTypes,
	type Recipient,
} from '../events/rules.js';
import { BodyPacker } from '../events/body-packer.js';
import { webhooksWantingEvent, type NoteVisibility } from '../events/note-visibility.js';

/**
 * What the host calls from its services when something happens (docs/misskey.md shows where each call goes in Misskey's services).
 * Each resolves once every resulting delivery is queued; none ever rejects, so the host need not await it.
 */
export interface HostEvents {
	noteCreated(event: NoteCreatedEvent): Promise<void>;
	/** Also on the acceptance of a pending follow request. */
	followCreated(event: FollowCreatedEvent): Promise<void>;
	/** The follower unfollowed (`initiatedBy: 'follower'`), or the followee removed the follower or a block ended it. */
	followDeleted(event: FollowDeletedEvent): Promise<void>;
	followRequestRejected(event: FollowRequestRejectedEvent): Promise<void>;
	reactionCreated(event: ReactionCreatedEvent): Promise<void>;
}

/** Which host event went wrong, where, and for whom; reported as data instead of thrown into the host's service. */
export type HostEventFailure = {
	event: keyof HostEvents;
	error: unknown;
} & (
	| { stage: 'threadMuting'; ownerId: string }
	| { stage: 'packing' | 'enqueueing'; ownerId: string; type: UserWebhookEventType }
	/** Anything outside one recipient's steps, e.g. a malformed event. */
	| { stage: 'event' }
);

/** What the event rules need: the registry to match webhooks, the queue to hand them to, the host to ask and pack. */
export interface HostEventsDependencies {
	registry: Pick<WebhookRegistry, 'match'>;
	delivery: Pick<UserWebhookDelivery, 'enqueue'>;
	host: Pick<HostAdapter, 'isThreadMuted' | 'packNote' | 'packUserLite' | 'packUserDetailed'>;
	/** Where failures go; by default they are written to stderr. */
	reportFailure?: (failure: HostEventFailure) => void;
}

function logFailure(failure: HostEventFailure): void {
	const who = failure.stage === 'event' ? '' : ` for ${failure.ownerId}${'type' in failure ? ` (${failure.type})` : ''}`;
	console.warn(`[misskey-webhooks] ${failure.event}: ${failure.stage} failed${who}:`, failure.error);
}

const NO_ONE: ReadonlySet<string> = new Set();

/** Turns host events into queued deliveries: rules decide who gets what, the host packs the bodies. */
export function createHostEvents(deps: HostEventsDependencies): HostEvents {
	const { registry, delivery, host } = deps;
	const reportFailure = deps.reportFailure ?? logFailure;
	const report = (failure: HostEventFailure) => {
		// A broken reporter must not turn one failed recipient into a failed event.
		try { reportFailure(failure); } catch { /* the reporter is the last resort */ }
	};

	const hasWebhooks = (recipient: Recipient) => registry.match(recipient.ownerId, recipient.type).length > 0;

	// Only owners with a matching webhook are asked for, so most notes cost no query. A failed answer counts as muted:
	// better one missed reply or mention than one the user asked not to get.
	async function threadMutedBy(event: NoteCreatedEvent, candidates: Recipient[]): Promise<ReadonlySet<string>> {
		const asked = new Set(candidates.filter((r) => threadMutableEventTypes.has(r.type) && hasWebhooks(r)).map((r) => r.ownerId));
		if (asked.size === 0) return NO_ONE;
		const threadId = threadIdOf(event.note);
		const muted = new Set<string>();
		await Promise.all([...asked].map(async (ownerId) => {
			try {
				if (await host.isThreadMuted(ownerId, threadId)) muted.add(ownerId);
			} catch (error) {
				muted.add(ownerId);
				report({ event: 'noteCreated', stage: 'threadMuting', ownerId, error });
			}
		}));
		return muted;
	}

	// Bodies are packed concurrently, but queued one (owner, type) at a time in rule order (note → mentions → reply → renote).
	// A note's visibility leaves out the webhooks that filter it before anything is packed.
	async function deliver(eventName: keyof HostEvents, recipients: Recipient[], visibility?: NoteVisibility): Promise<void> {
		const packer = new BodyPacker(host);
		const planned = recipients
			.map((recipient) => ({ recipient, webhooks: webhooksWantingEvent(registry.match(recipient.ownerId, recipient.type), recipient.type, visibility) }))
			.filter(({ webhooks }) => webhooks.length > 0);
		// Packing starts for every recipient at once; each result is awaited below, in order.
		for (const { recipient } of planned) void packer.pack(recipient.body);
		for (const { recipient: { ownerId, type, body: spec }, webhooks } of planned) {
			let body;
			try {
				body = await packer.pack(spec);
			} catch (error) {
				report({ event: eventName, stage: 'packing', ownerId, type, error });
				continue;
			}
			try {
				await delivery.enqueue(webhooks, type, body);
			} catch (error) {
				report({ event: eventName, stage: 'enqueueing', ownerId, type, error });
			}
		}
	}

	async function guarded(eventName: keyof HostEvents, work: () => Promise<void>): Promise<void> {
		try {
			await work();
		} catch (error) {
			report({ event: eventName, stage: 'event', error });
		}
	}

	return {
		noteCreated: (event) => guarded('noteCreated', async () => {
			// Muting only removes recipients, so the rule without any mute names everyone who might be asked.
			const candidates = recipientsOfNoteCreated(event, { threadMutedBy: NO_ONE });
			const muted = await threadMutedBy(event, candidates);
			await deliver('noteCreated', muted.size === 0 ? candidates : recipientsOfNoteCreated(event, { threadMutedBy: muted }), event.note.visibility);
		}),
		followCreated: (event) => guarded('followCreated', () => deliver('followCreated', recipientsOfFollowCreated(event))),
		followDeleted: (event) => guarded('followDeleted', () => deliver('followDeleted', recipientsOfFollowDeleted(event))),
		followRequestRejected: (event) => guarded('followRequestRejected', () => deliver('followRequestRejected', recipientsOfFollowRequestRejected(event))),
		reactionCreated: (event) => guarded('reactionCreated', () => deliver('reactionCreated', recipientsOfReactionCreated(event))),
	};
}
