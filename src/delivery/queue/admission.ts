/**
 * Why a job was sent back to the delayed set without an attempt: the host gate's reasons, and `webhook-rate` for a job
 * over its webhook's delivery rate.
 */
export type DeferReason = 'circuit-open' | 'probe-in-flight' | 'host-busy' | 'unanswered-hosts-busy' | 'in-line' | 'webhook-rate';

/** A count of zero for every reason: where the deferral counters start. */
export function noDeferrals(): Record<DeferReason, number> {
	return { 'circuit-open': 0, 'probe-in-flight': 0, 'host-busy': 0, 'unanswered-hosts-busy': 0, 'in-line': 0, 'webhook-rate': 0 };
}

/** What the gate decided for one job, in the end. */
export type Decision =
	| { kind: 'send'; permit: HostPermit }
	| { kind: 'defer'; dueAt: number; reason: DeferReason; line: LineTicket };

/** Which line of which host a deferred job joined; the host's line is released when the host starts answering. */
export interface LineTicket {
	readonly host: string;
	readonly generation: number;
}

/** What the gate decided for one job: send, defer, or wait a few ms for the receiver's next free slot, then one of those. */
export type Admission = Decision | { kind: 'wait'; decision: Promise<Decision> };

/** A slot at one host, held while its request is in flight; handed back with `finish`. */
export interface HostPermit {
	readonly host: string;
	/** This request is the half-open circuit's probe. */
	readonly probe: boolean;
	/** Taken from the slots of hosts without an answer. */
	readonly unanswered: boolean;
}
