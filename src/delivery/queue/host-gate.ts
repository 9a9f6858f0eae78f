import type { WebhookLogger } from '../../core/logger.js';
import { CircuitBreaker, type Circuit, type CircuitState, type HostAnswer } from './circuit-breaker.js';
import { HostLine, type LineEntry } from './host-line.js';
import { noDeferrals, type Admission, type Decision, type DeferReason, type HostPermit, type LineTicket } from './admission.js';
import type { FairnessSnapshot, HostSnapshot } from './fairness-snapshot.js';
import { answersFast, recordAnswer, stalled, waitersAllowed, waitLimitMs, type HostPace } from './host-pace.js';
import { nextShare, type ShareBounds } from './host-share.js';

export { NO_ANSWER_ERROR_CLASSES, hostAnswerOf, type CircuitState, type HostAnswer } from './circuit-breaker.js';
export type { Admission, Decision, DeferReason, HostPermit, LineTicket } from './admission.js';
export type { FairnessSnapshot, HostSnapshot } from './fairness-snapshot.js';

/**
 * Requests in flight at once to a target host that has not answered lately (new, or its last attempt got no answer):
 * it earns the full `concurrencyPerTargetHost` with its first answer, so a host that hangs holds 2 slots, not 8.
 */
export const UNANSWERED_HOST_CONCURRENCY = 2;

/** How long a job waits before asking again when the slots of hosts without an answer are all taken, ms (at most the request timeout). */
export const UNANSWERED_POOL_RETRY_MS = 1000;

/** A host idle (nothing in flight, nothing deferred, circuit closed) this long is forgotten, ms. */
const FORGET_IDLE_HOST_MS = 10 * 60_000;

/** How many admissions pass between two sweeps for idle hosts. */
const SWEEP_EVERY = 1000;

export interface HostGateInput {
	concurrencyPerTargetHost: number;
	/** The most slots a host that answers fast and well may grow to (default: `concurrencyPerTargetHost`, no growth). */
	maxConcurrencyPerTargetHost?: number;
	unansweredHostsConcurrency: number;
	/** How many jobs may wait in their slot for a fast receiver's next free slot at once; 0: none ever waits. */
	waitingSlots: number;
	requestTimeoutMs: number;
	circuitBreakerThreshold: number;
	circuitBreakerCoolDownMs: number;
	circuitBreakerMaxCoolDownMs: number;
	logger: WebhookLogger;
	/** How log lines name the queue's webhooks (`user webhook`, `system webhook`). */
	label: string;
	/**
	 * Called when a host starts answering (its first answer in this process, or its circuit closing), with the jobs this
	 * process deferred for it, oldest first: the host's line was spaced for a host that does not answer, and every job
	 * in it (whichever process deferred it) may go now.
	 */
	onHostAnswering?: (host: string, deferredJobIds: string[]) => void;
	/**
	 * Called when a host that answers has free slots and no job waiting for them, with the next jobs this process set
	 * aside for it that are not due yet: they may come back now rather than at times laid out for a slower host.
	 */
	onSlotsFree?: (host: string, jobs: LineEntry[]) => void;
	now?: () => number;
}

interface HostState extends HostPace {
	/** Slots the host may hold while it answers: from `concurrencyPerTargetHost` up to the maximum (host-share.ts). */
	share: number;
	/** A job found the host at its share since its last answer: there is work for a larger one. */
	foundFull: boolean;
	circuit: Circuit;
	line: HostLine;
	/** Jobs waiting in their slot for this host's next free slot: jobs back from its line first, then first come first served. */
	waiters: Array<{ jobId: string | undefined; returning: boolean; decide: (decision: Decision) => void; timer: NodeJS.Timeout }>;
	lastActivityAt: number;
}

/**
 * Decides, per job, whether its request goes out now or the job steps aside (docs/fairness.md); the only wait is for a
 * fast receiver's next free slot, by as many jobs as it gets to soon (at most `waitingSlots` at once):
 * a host holds at most its share of slots once it answers (`concurrencyPerTargetHost`, growing towards
 * `maxConcurrencyPerTargetHost` while it answers fast and well: host-share.ts) and 2 before; hosts without an answer hold at
 * most `unansweredHostsConcurrency` together; after `circuitBreakerThreshold` unanswered attempts in a row the host's
 * circuit opens for a cool-down, then one probe goes through and its answer closes it (no answer: open again, twice
 * as long). A job that steps aside gets a due time at the end of its host's line, spaced by how fast the host drains,
 * so the host's jobs come back in the order they came and seldom more often than they can be sent. State is per
 * worker process.
 */
export class HostGate {
	private readonly hosts = new Map<string, HostState>();
	private readonly now: () => number;
	private inFlight = 0;
	private unansweredInFlight = 0;
	private waiting = 0;
	private admissions = 0;
	private readonly breaker: CircuitBreaker;
	private readonly shareBounds: ShareBounds;
	private readonly deferrals: Record<DeferReason, number> = noDeferrals();

	constructor(private readonly input: HostGateInput) {
		this.now = input.now ?? Date.now;
		this.breaker = new CircuitBreaker(input);
		this.shareBounds = { base: input.concurrencyPerTargetHost, max: Math.max(input.concurrencyPerTargetHost, input.maxConcurrencyPerTargetHost ?? input.concurrencyPerTargetHost) };
	}

	/** A slot for `jobId`'s request to `host` now, or the time to come back. */
	admit(host: string, jobId?: string): Admission {
		const now = this.now();
		if (++this.admissions % SWEEP_EVERY === 0) this.forgetIdleHosts(now);
		const state = this.stateOf(host, now);
		state.lastActivityAt = now;
		const returning = state.line.takeBack(jobId);
		const circuit = this.breaker.admitting(state.circuit, now);
		if (circuit === 'open') return this.defer(host, state, jobId, state.circuit.reopensAt, 'circuit-open');
		if (circuit === 'half-open') {
			if (state.circuit.probeInFlight) return this.defer(host, state, jobId, now + this.input.requestTimeoutMs, 'probe-in-flight');
			if (this.unansweredInFlight >= this.input.unansweredHostsConcurrency) {
				return this.defer(host, state, jobId, now + Math.min(UNANSWERED_POOL_RETRY_MS, this.input.requestTimeoutMs), 'unanswered-hosts-busy');
			}
			state.circuit.probeInFlight = true;
			return this.send(host, state, true);
		}
		// Jobs this process set aside for want of room go first; a newer one that found a slot free would overtake them.
		// Not at a fast host whose line is brought back as its slots free: there the free slot would only sit idle.
		const pulled = this.input.onSlotsFree !== undefined && answersFast(state, now);
		const behind = !returning && !pulled && state.line.hasJobsAhead(now);
		const full = state.inFlight >= this.limitOf(state);
		if (full) state.foundFull = true;
		if (behind && !full) return this.defer(host, state, jobId, now, 'in-line', false);
		if (full) {
			if (this.mayWait(state, now)) return { kind: 'wait', decision: this.waitForSlot(host, state, jobId, returning) };
			if (behind) return this.defer(host, state, jobId, now, 'in-line', true);
			// A host that answers frees a slot within about its latency; one that does not, only when a request times out.
			const wait = !state.answering ? this.input.requestTimeoutMs : stalled(state, now) ? this.drainStep(state, now) : state.latencyMs;
			return this.defer(host, state, jobId, now + wait, 'host-busy', true);
		}
		if (!state.answering && this.unansweredInFlight >= this.input.unansweredHostsConcurrency) {
			return this.defer(host, state, jobId, now + Math.min(UNANSWERED_POOL_RETRY_MS, this.input.requestTimeoutMs), 'unanswered-hosts-busy');
		}
		return this.send(host, state, false);
	}

	/** Hands a slot back with what the request got (`status`: its HTTP status, when it got one); moves the host's circuit and share. */
	finish(permit: HostPermit, answer: HostAnswer, durationMs: number, status?: number): void {
		this.inFlight--;
		if (permit.unanswered) this.unansweredInFlight--;
		const now = this.now();
		const state = this.stateOf(permit.host, now);
		state.inFlight--;
		state.lastActivityAt = now;
		state.lastFinishAt = now;
		if (permit.probe) state.circuit.probeInFlight = false;
		if (answer === 'answered') {
			const wasAnswering = state.answering;
			recordAnswer(state, durationMs);
			state.share = nextShare(state, status, this.shareBounds);
			state.foundFull = false;
			// A closed circuit's line starts afresh.
			if (this.breaker.answered(permit.host, state.circuit, state.line.size)) state.line.endsAt = now;
			// Called even with none of this process's: the line may hold jobs another process (maybe one that died) deferred.
			if (!wasAnswering) this.input.onHostAnswering?.(permit.host, state.line.release(now, this.input.requestTimeoutMs));
			this.serveWaiters(permit.host, state);
			// No job waits on a timer while the host has free slots.
			const free = this.limitOf(state) - state.inFlight;
			if (this.input.onSlotsFree && free > 0 && state.waiters.length === 0 && state.circuit.state === 'closed') {
				const jobs = state.line.pull(now, free);
				if (jobs.length > 0) this.input.onSlotsFree(permit.host, jobs);
			}
			return;
		}
		if (answer === 'no-answer') {
			state.answering = false;
			state.share = this.shareBounds.base;
		}
		this.breaker.notAnswered(permit.host, state.circuit, answer, permit.probe, now);
		this.serveWaiters(permit.host, state);
	}

	/** Counts a job that stepped aside before it met the gate, over its webhook's delivery rate, with the gate's own. */
	countRateDeferral(): void {
		this.deferrals['webhook-rate']++;
	}

	/**
	 * Whether a job deferred with this ticket should stay at its due time: false once its host's line was released
	 * after the job joined it (the host answered meanwhile), and the job, now in the delayed set, may go at once.
	 */
	stillInLine(ticket: LineTicket): boolean {
		const state = this.hosts.get(ticket.host);
		return state !== undefined && state.line.generation === ticket.generation;
	}

	/** The circuit of one host, as the read API shows it. */
	circuitOf(host: string): CircuitState {
		return this.breaker.shown(this.hosts.get(host)?.circuit, this.now());
	}

	snapshot(): FairnessSnapshot {
		const hosts = [...this.hosts].map(([host, state]): HostSnapshot => ({
			host,
			circuit: this.circuitOf(host),
			inFlight: state.inFlight,
			answering: state.answering,
			share: this.limitOf(state),
			consecutiveNoAnswer: state.circuit.consecutiveNoAnswer,
			reopensAt: state.circuit.state === 'closed' ? null : state.circuit.reopensAt,
			coolDownMs: state.circuit.coolDownMs,
			deferred: state.line.size,
			waiting: state.waiters.length,
		}));
		hosts.sort((a, b) => b.inFlight + b.deferred - (a.inFlight + a.deferred));
		return {
			inFlight: this.inFlight,
			unansweredInFlight: this.unansweredInFlight,
			waiting: this.waiting,
			deferrals: { ...this.deferrals },
			circuitsOpened: this.breaker.opened,
			circuitsClosed: this.breaker.closed,
			hosts,
		};
	}

	/** Whether a job may wait in its slot for this busy host: it answers fast and steadily, and gets to the job soon. */
	private mayWait(state: HostState, now: number): boolean {
		if (!answersFast(state, now) || this.waiting >= this.input.waitingSlots) return false;
		return state.waiters.length < waitersAllowed(state, this.limitOf(state));
	}

	/** The job's slot at this host once one is free, or, if its turn is long overdue, a place in its line. */
	private waitForSlot(host: string, state: HostState, jobId: string | undefined, returning: boolean): Promise<Decision> {
		return new Promise((decide) => {
			// Back from the line, the job goes before the jobs queued after it.
			const position = returning ? state.waiters.findIndex((waiter) => !waiter.returning) : -1;
			const index = position === -1 ? state.waiters.length : position;
			const timer = setTimeout(() => {
				const at = state.waiters.indexOf(waiter);
				if (at === -1) return;
				state.waiters.splice(at, 1);
				this.waiting--;
				decide(this.defer(host, state, jobId, this.now() + state.latencyMs, 'host-busy', true));
			}, waitLimitMs(state, index, this.limitOf(state)));
			const waiter = { jobId, returning, decide, timer };
			state.waiters.splice(index, 0, waiter);
			this.waiting++;
		});
	}

	/** Hands freed slots to the jobs waiting for them, in order; when the host can no longer take them, they step aside. */
	private serveWaiters(host: string, state: HostState): void {
		while (state.waiters.length > 0) {
			const usable = state.circuit.state === 'closed' && state.answering;
			if (usable && state.inFlight >= this.limitOf(state)) return;
			const waiter = state.waiters.shift()!;
			clearTimeout(waiter.timer);
			this.waiting--;
			const now = this.now();
			waiter.decide(usable ? this.send(host, state, false) : this.defer(host, state, waiter.jobId, state.circuit.state === 'closed' ? now + this.drainStep(state, now) : state.circuit.reopensAt, state.circuit.state === 'closed' ? 'host-busy' : 'circuit-open', true));
		}
	}

	private limitOf(state: HostState): number {
		return state.answering ? state.share : Math.min(this.input.concurrencyPerTargetHost, UNANSWERED_HOST_CONCURRENCY);
	}

	/**
	 * How often the host frees a slot, ms: its latency over its slots while it answers at its usual pace; a request
	 * timeout over its slots while it does not answer, or has stalled.
	 */
	private drainStep(state: HostState, now: number): number {
		const slotTimeMs = state.answering && !stalled(state, now) ? state.latencyMs : this.input.requestTimeoutMs;
		return slotTimeMs / this.limitOf(state);
	}

	private send(host: string, state: HostState, probe: boolean): Decision {
		if (state.inFlight === 0) state.lastFinishAt = this.now();
		const unanswered = !state.answering;
		state.inFlight++;
		this.inFlight++;
		if (unanswered) this.unansweredInFlight++;
		return { kind: 'send', permit: { host, probe, unanswered } };
	}

	/**
	 * Puts the job at the end of its host's line: no earlier than `earliest`, one drain step after the job before it
	 * (the host's latency over its slots once it answers; a request timeout over its 2 slots while it does not).
	 * `holds`: the host had no room for it, and a later job that finds a slot free steps aside behind it.
	 */
	private defer(host: string, state: HostState, jobId: string | undefined, earliest: number, reason: DeferReason, holds = true): Decision {
		const dueAt = state.line.join(jobId, earliest, this.drainStep(state, this.now()), holds);
		this.deferrals[reason]++;
		return { kind: 'defer', dueAt, reason, line: { host, generation: state.line.generation } };
	}

	private stateOf(host: string, now: number): HostState {
		let state = this.hosts.get(host);
		if (!state) {
			state = {
				inFlight: 0,
				answering: false,
				share: this.shareBounds.base,
				foundFull: false,
				circuit: this.breaker.newCircuit(),
				latencyMs: 0,
				quickestMs: 0,
				lastFinishAt: now,
				line: new HostLine(),
				waiters: [],
				lastActivityAt: now,
			};
			this.hosts.set(host, state);
		}
		return state;
	}

	private forgetIdleHosts(now: number): void {
		for (const [host, state] of this.hosts) {
			const idle = state.inFlight === 0 && state.waiters.length === 0 && state.circuit.state === 'closed' && state.line.deferredUntil < now && now - state.lastActivityAt > FORGET_IDLE_HOST_MS;
			if (idle) this.hosts.delete(host);
		}
	}
}
