import type { WebhookLogger } from '../../core/logger.js';
import type { SendResult } from '../retry/send-result.js';
import { TIMEOUT_ERROR_CLASSES } from '../retry/outcome.js';

/** Failures that mean the receiver did not answer at all: they count towards opening its circuit. */
export const NO_ANSWER_ERROR_CLASSES: readonly string[] = [...TIMEOUT_ERROR_CLASSES, 'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN'];

/** The state of a host's circuit: closed sends; open defers until its cool-down ends; half-open lets one probe through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** How an attempt ended, as far as the host's health goes: an HTTP answer of any status, no answer at all, or neither (DNS, blocked address). */
export type HostAnswer = 'answered' | 'no-answer' | 'other';

/** What an attempt's result says of its host: any HTTP status is an answer; DNS failures and blocked addresses are neither. */
export function hostAnswerOf(result: SendResult): HostAnswer {
	if (result.kind === 'response') return 'answered';
	return NO_ANSWER_ERROR_CLASSES.includes(result.errorClass) ? 'no-answer' : 'other';
}

/** One host's circuit. */
export interface Circuit {
	state: CircuitState;
	consecutiveNoAnswer: number;
	reopensAt: number;
	coolDownMs: number | null;
	probeInFlight: boolean;
}

export interface CircuitBreakerInput {
	circuitBreakerThreshold: number;
	circuitBreakerCoolDownMs: number;
	circuitBreakerMaxCoolDownMs: number;
	logger: WebhookLogger;
	/** How log lines name the queue's webhooks (`user webhook`, `system webhook`). */
	label: string;
}

/**
 * The circuits of one worker process's hosts: after `circuitBreakerThreshold` unanswered attempts in a row a host's
 * circuit opens for a cool-down, then one probe goes through and its answer closes it (no answer: open again, twice
 * as long, up to `circuitBreakerMaxCoolDownMs`).
 */
export class CircuitBreaker {
	opened = 0;
	closed = 0;

	constructor(private readonly input: CircuitBreakerInput) {}

	newCircuit(): Circuit {
		return { state: 'closed', consecutiveNoAnswer: 0, reopensAt: 0, coolDownMs: null, probeInFlight: false };
	}

	/** The circuit as an admission sees it: an open one whose cool-down has ended turns half-open. */
	admitting(circuit: Circuit, now: number): CircuitState {
		if (circuit.state === 'open' && now >= circuit.reopensAt) circuit.state = 'half-open';
		return circuit.state;
	}

	/** The circuit as the read API shows it, unchanged. */
	shown(circuit: Circuit | undefined, now: number): CircuitState {
		if (!circuit) return 'closed';
		return circuit.state === 'open' && now >= circuit.reopensAt ? 'half-open' : circuit.state;
	}

	/** The host answered: its streak ends; true when that closed its circuit (`resumed`: its deferred jobs, for the log). */
	answered(host: string, circuit: Circuit, resumed: number): boolean {
		circuit.consecutiveNoAnswer = 0;
		if (circuit.state === 'closed') return false;
		circuit.state = 'closed';
		circuit.coolDownMs = null;
		this.closed++;
		this.input.logger.info({ targetHost: host, resumed }, `${this.input.label} deliveries: circuit closed, the receiver answers again`);
		return true;
	}

	/** The attempt got no answer, or neither answer nor the lack of one; a failed probe or a long streak opens the circuit. */
	notAnswered(host: string, circuit: Circuit, answer: HostAnswer, probe: boolean, now: number): void {
		if (answer === 'no-answer') circuit.consecutiveNoAnswer++;
		if (probe) {
			this.open(host, circuit, now, Math.min(2 * (circuit.coolDownMs ?? this.input.circuitBreakerCoolDownMs), this.input.circuitBreakerMaxCoolDownMs));
		} else if (circuit.state === 'closed' && circuit.consecutiveNoAnswer >= this.input.circuitBreakerThreshold) {
			this.open(host, circuit, now, this.input.circuitBreakerCoolDownMs);
		}
	}

	private open(host: string, circuit: Circuit, now: number, coolDownMs: number): void {
		const wasClosed = circuit.state === 'closed';
		circuit.state = 'open';
		circuit.coolDownMs = coolDownMs;
		circuit.reopensAt = now + coolDownMs;
		if (wasClosed) {
			this.opened++;
			this.input.logger.warn({ targetHost: host, attemptsWithoutAnswer: circuit.consecutiveNoAnswer, coolDownMs }, `${this.input.label} deliveries: circuit opened; deferred for the cool-down, then one probe`);
		} else {
			this.input.logger.warn({ targetHost: host, coolDownMs }, `${this.input.label} deliveries: probe got no answer; circuit open again`);
		}
	}
}
