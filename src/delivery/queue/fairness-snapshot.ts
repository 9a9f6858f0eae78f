import type { CircuitState } from './circuit-breaker.js';
import type { DeferReason } from './admission.js';

/** One host as the read API shows it. */
export interface HostSnapshot {
	host: string;
	circuit: CircuitState;
	inFlight: number;
	/** Whether its last finished attempt got an HTTP answer (then it may use its share of slots, `share`). */
	answering: boolean;
	/**
	 * Requests it may have in flight now: 2 while it does not answer; once it answers, `concurrencyPerTargetHost`, growing
	 * towards `maxConcurrencyPerTargetHost` while it answers fast and well.
	 */
	share: number;
	consecutiveNoAnswer: number;
	/** When an open circuit lets its probe through (epoch ms); null when closed. */
	reopensAt: number | null;
	/** The cool-down the circuit opened with last, ms (doubles with each failed probe); null when it never opened. */
	coolDownMs: number | null;
	/** Jobs this process deferred for the host and has not seen back. */
	deferred: number;
	/** Jobs waiting in their slot for this host's next free slot. */
	waiting: number;
}

/** The fairness state of one worker process. */
export interface FairnessSnapshot {
	/** Requests in flight from this process. */
	inFlight: number;
	/** Of those, to hosts without a recent answer; at most `unansweredHostsConcurrency`. */
	unansweredInFlight: number;
	/** Jobs waiting in their slot for a fast receiver's next free slot (as many as it gets to soon, docs/fairness.md). */
	waiting: number;
	/** Jobs deferred since the worker started, by reason. */
	deferrals: Record<DeferReason, number>;
	/** Circuits opened and closed since the worker started. */
	circuitsOpened: number;
	circuitsClosed: number;
	/** Every host the process knows, busiest first. */
	hosts: HostSnapshot[];
}
