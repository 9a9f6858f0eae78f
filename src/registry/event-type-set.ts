import { userWebhookEventTypes, type UserWebhookEventType } from '../events/catalogue.js';

/** The bit of each user event type in a mask: bit i is `userWebhookEventTypes[i]`. */
const bitByType = new Map<string, number>(userWebhookEventTypes.map((type, i) => [type, 1 << i]));

/** The mask bit of `type`; 0 for a string that names no user event type. */
export function eventTypeBit(type: string): number {
	return bitByType.get(type) ?? 0;
}

/** The mask of a webhook's `on`: one bit per known event type it lists; unknown strings and repeats add nothing. */
export function eventTypeMaskOf(types: readonly string[]): number {
	let mask = 0;
	for (const type of types) mask |= eventTypeBit(type);
	return mask;
}

/** The event types a mask holds, in catalogue order. */
export function eventTypesOfMask(mask: number): UserWebhookEventType[] {
	return userWebhookEventTypes.filter((type) => (mask & eventTypeBit(type)) !== 0);
}

/** A webhook's `on` as stored (order, repeats and all) with its mask, shared by every webhook that lists the same. */
export interface EventTypeSet {
	readonly on: readonly string[];
	readonly mask: number;
}

// Past this many distinct lists, new ones are kept per webhook instead of shared: the table can never outgrow the
// webhooks, whatever lists are sent. Real servers use a handful.
const MAX_SHARED_SETS = 4096;

/** Hands out one shared EventTypeSet per distinct `on` list, so 100,000 webhooks with a few lists hold a few arrays. */
export class EventTypeSets {
	private readonly shared = new Map<string, EventTypeSet>();
	// The same sets by the JSON text of their list, as the start-up load reads `on`: a hit parses nothing.
	private readonly sharedByJson = new Map<string, EventTypeSet>();

	/** The set of a list given as JSON text (`["note","reply"]`). */
	ofJson(json: string): EventTypeSet {
		const known = this.sharedByJson.get(json);
		if (known) return known;
		const parsed: unknown = JSON.parse(json);
		const on = Array.isArray(parsed) ? parsed.filter((type): type is string => typeof type === 'string') : [];
		const set = this.of(on);
		if (this.sharedByJson.size < MAX_SHARED_SETS) this.sharedByJson.set(json, set);
		return set;
	}

	of(on: readonly string[]): EventTypeSet {
		const key = on.join(',');
		const known = this.shared.get(key);
		// The key alone could confuse ['a,b'] with ['a', 'b']; the stored list is compared too.
		if (known && sameList(known.on, on)) return known;
		const set: EventTypeSet = Object.freeze({ on: Object.freeze([...on]), mask: eventTypeMaskOf(on) });
		if (!known && this.shared.size < MAX_SHARED_SETS) this.shared.set(key, set);
		return set;
	}
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((value, i) => value === b[i]);
}
