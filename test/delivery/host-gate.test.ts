import assert from 'node:assert/strict';
import { targetHostOf } from '../../src/delivery/queue/target-host.js';
import { HostGate, hostAnswerOf, UNANSWERED_HOST_CONCURRENCY, type Admission, type HostGateInput, type HostPermit } from '../../src/delivery/queue/host-gate.js';
import { CapturingLogger } from './fixture.js';

/** A gate on a clock the test moves, with small numbers. */
function gateOf(overrides: Partial<HostGateInput> = {}) {
	let now = 1_000_000;
	const logger = new CapturingLogger();
	const released: Array<{ host: string; ids: string[] }> = [];
	const gate = new HostGate({
		concurrencyPerTargetHost: 3,
		unansweredHostsConcurrency: 4,
		waitingSlots: 0,
		requestTimeoutMs: 1000,
		circuitBreakerThreshold: 3,
		circuitBreakerCoolDownMs: 10_000,
		circuitBreakerMaxCoolDownMs: 25_000,
		logger,
		label: 'user webhook',
		onHostAnswering: (host, ids) => released.push({ host, ids }),
		now: () => now,
		...overrides,
	});
	return { gate, logger, released, advance: (ms: number) => { now += ms; }, now: () => now };
}

function permitOf(admission: Admission): HostPermit {
	assert.equal(admission.kind, 'send', `expected a send, got ${JSON.stringify(admission)}`);
	return (admission as Extract<Admission, { kind: 'send' }>).permit;
}

function deferral(admission: Admission): Extract<Admission, { kind: 'defer' }> {
	assert.equal(admission.kind, 'defer', `expected a deferral, got ${JSON.stringify(admission)}`);
	return admission as Extract<Admission, { kind: 'defer' }>;
}

/** Makes `host` answering: one request that got an HTTP answer. */
function answerOnce(gate: HostGate, host: string, durationMs = 10): void {
	gate.finish(permitOf(gate.admit(host, `warm-${host}`)), 'answered', durationMs);
}

describe('host gate: slots are shared without waiting (docs/fairness.md)', () => {
	it('a host that answers holds at most concurrencyPerTargetHost slots; the rest step aside with rising due times, never waiting', () => {
		const { gate, now } = gateOf();
		answerOnce(gate, 'a.example');
		const permits = [1, 2, 3].map((i) => permitOf(gate.admit('a.example', `j${i}`)));
		const later = [4, 5, 6].map((i) => deferral(gate.admit('a.example', `j${i}`)));
		assert.deepEqual(later.map((d) => d.reason), ['host-busy', 'in-line', 'in-line']);
		assert.ok(later[0].dueAt >= now());
		assert.ok(later[0].dueAt <= later[1].dueAt && later[1].dueAt <= later[2].dueAt, 'the host\'s line keeps the order the jobs came in');
		assert.equal(gate.snapshot().inFlight, 3);
		for (const permit of permits) gate.finish(permit, 'answered', 10);
		assert.equal(gate.snapshot().inFlight, 0);
	});

	it('a host that answered but has stopped finishing requests is stepped around slowly, not every few ms', () => {
		const { gate, advance, now } = gateOf();
		answerOnce(gate, 'a.example', 10);
		[1, 2, 3].map((i) => permitOf(gate.admit('a.example', `j${i}`)));
		const quick = deferral(gate.admit('a.example', 'j4'));
		assert.ok(quick.dueAt - now() <= 20, `a host answering in 10 ms gets its job back soon: due in ${quick.dueAt - now()} ms`);
		advance(1000);
		const first = deferral(gate.admit('a.example', 'j4'));
		const second = deferral(gate.admit('a.example', 'j5'));
		assert.ok(first.dueAt - now() >= 1000 / 3, `stalled: due in ${first.dueAt - now()} ms`);
		assert.ok(second.dueAt - first.dueAt >= 1000 / 3, 'spaced by a request timeout over its slots');
	});

	describe('a receiver that answers fast', () => {
		it('the next job waits in its slot for the first freed slot, in order, instead of stepping aside', async () => {
			const { gate } = gateOf({ waitingSlots: 4 });
			answerOnce(gate, 'fast.example', 50);
			const permits = [1, 2, 3].map((i) => permitOf(gate.admit('fast.example', `f${i}`)));
			const first = gate.admit('fast.example', 'f4');
			const second = gate.admit('fast.example', 'f5');
			assert.equal(first.kind, 'wait');
			assert.equal(gate.snapshot().waiting, 2);
			gate.finish(permits[0], 'answered', 50);
			gate.finish(permits[1], 'answered', 50);
			const [a, b] = await Promise.all([(first as Extract<Admission, { kind: 'wait' }>).decision, (second as Extract<Admission, { kind: 'wait' }>).decision]);
			assert.equal(a.kind, 'send');
			assert.equal(b.kind, 'send');
			assert.equal(gate.snapshot().waiting, 0);
			assert.equal(gate.snapshot().hosts[0].inFlight, 3);
		});

		it('a waiting job steps aside after a few of the receiver\'s latencies', async () => {
			const { gate } = gateOf({ waitingSlots: 4 });
			answerOnce(gate, 'fast.example', 10);
			[1, 2, 3].map((i) => permitOf(gate.admit('fast.example', `f${i}`)));
			const waited = gate.admit('fast.example', 'f4');
			assert.equal(waited.kind, 'wait');
			const decision = await (waited as Extract<Admission, { kind: 'wait' }>).decision;
			assert.equal(deferral(decision).reason, 'host-busy');
			assert.equal(gate.snapshot().waiting, 0);
		});

		it('at most waitingSlots jobs wait in all, per receiver as many as it gets to within a second at its pace (at least one per slot); a receiver slower than 500 ms is never waited for', () => {
			const { gate } = gateOf({ waitingSlots: 10 });
			answerOnce(gate, 'a.example', 400);
			answerOnce(gate, 'b.example', 10);
			answerOnce(gate, 'slow.example', 800);
			for (const host of ['a.example', 'b.example', 'slow.example']) for (let i = 0; i < 3; i++) permitOf(gate.admit(host, `${host}${i}`));
			// 3 slots at 400 ms a request: 7 jobs within a second.
			assert.deepEqual(Array.from({ length: 8 }, (_, i) => gate.admit('a.example', `a-more${i}`).kind), [...Array<string>(7).fill('wait'), 'defer']);
			// 3 slots at 10 ms: 300 within a second, but only 3 of the 10 waiting places are left.
			assert.deepEqual([1, 2, 3, 4].map((i) => gate.admit('b.example', `b-more${i}`).kind), ['wait', 'wait', 'wait', 'defer']);
			assert.equal(gate.admit('slow.example', 'slow-more').kind, 'defer');
			assert.equal(gate.snapshot().waiting, 10);
		});

		it('a receiver that answers in 100 ms with 3 slots has up to 30 jobs waiting for it; each freed slot goes to the next at once', async () => {
			const { gate } = gateOf({ waitingSlots: 64 });
			answerOnce(gate, 'fast.example', 100);
			const permits = [1, 2, 3].map((i) => permitOf(gate.admit('fast.example', `f${i}`)));
			const waiting = Array.from({ length: 31 }, (_, i) => gate.admit('fast.example', `w${i}`));
			assert.deepEqual(waiting.map((admission) => admission.kind), [...Array<string>(30).fill('wait'), 'defer']);
			for (const permit of permits) gate.finish(permit, 'answered', 100);
			const served = await Promise.all(waiting.slice(0, 3).map((admission) => (admission as Extract<Admission, { kind: 'wait' }>).decision));
			assert.deepEqual(served.map((decision) => decision.kind), ['send', 'send', 'send']);
			assert.equal(gate.snapshot().waiting, 27);
		});

		it('when the receiver stops answering, the waiting jobs step aside at once', async () => {
			const { gate } = gateOf({ waitingSlots: 4, circuitBreakerThreshold: 1 });
			answerOnce(gate, 'a.example', 100);
			const permits = [1, 2, 3].map((i) => permitOf(gate.admit('a.example', `f${i}`)));
			const waited = gate.admit('a.example', 'f4') as Extract<Admission, { kind: 'wait' }>;
			gate.finish(permits[0], 'no-answer', 1000);
			assert.equal(deferral(await waited.decision).reason, 'circuit-open');
		});
	});

	it('a job that stepped aside goes before a job of the same host that came after it', () => {
		const { gate } = gateOf();
		answerOnce(gate, 'a.example');
		const permits = [1, 2, 3].map((i) => permitOf(gate.admit('a.example', `j${i}`)));
		deferral(gate.admit('a.example', 'j4'));
		gate.finish(permits[0], 'answered', 10);
		// A slot is free, but j4 is still in line: j5 must not overtake it.
		assert.equal(deferral(gate.admit('a.example', 'j5')).reason, 'in-line');
		permitOf(gate.admit('a.example', 'j4'));
	});

	it('a host that has not answered holds at most 2 slots until its first answer; then its deferred jobs are handed back in order', () => {
		const { gate, released } = gateOf();
		const first = Array.from({ length: UNANSWERED_HOST_CONCURRENCY }, (_, i) => permitOf(gate.admit('new.example', `n${i}`)));
		assert.ok(first.every((permit) => permit.unanswered));
		const n8 = deferral(gate.admit('new.example', 'n8'));
		assert.equal(n8.reason, 'host-busy');
		assert.equal(deferral(gate.admit('new.example', 'n9')).reason, 'in-line');
		assert.equal(gate.stillInLine(n8.line), true);
		gate.finish(first[0], 'answered', 20);
		assert.deepEqual(released, [{ host: 'new.example', ids: ['n8', 'n9'] }]);
		// A job still being moved to the delayed set when the line was released learns it may go at once.
		assert.equal(gate.stillInLine(n8.line), false);
		permitOf(gate.admit('new.example', 'n8'));
		permitOf(gate.admit('new.example', 'n9'));
		assert.equal(gate.snapshot().hosts.find((h) => h.host === 'new.example')?.inFlight, 3);
	});

	it('hosts without an answer hold at most unansweredHostsConcurrency slots together; a host that answers still gets its slots', () => {
		const { gate } = gateOf();
		answerOnce(gate, 'good.example');
		for (const host of ['d1', 'd2']) for (let i = 0; i < UNANSWERED_HOST_CONCURRENCY; i++) permitOf(gate.admit(host, `${host}-${i}`));
		assert.equal(gate.snapshot().unansweredInFlight, 4);
		assert.equal(deferral(gate.admit('d3', 'd3-0')).reason, 'unanswered-hosts-busy');
		assert.equal(gate.admit('good.example', 'g1').kind, 'send');
	});

	it('opens the circuit after circuitBreakerThreshold attempts in a row without an answer, and logs it', () => {
		const { gate, logger } = gateOf();
		for (let i = 0; i < 2; i++) gate.finish(permitOf(gate.admit('dead.example', `x${i}`)), 'no-answer', 1000);
		assert.equal(gate.circuitOf('dead.example'), 'closed');
		gate.finish(permitOf(gate.admit('dead.example', 'x2')), 'no-answer', 1000);
		assert.equal(gate.circuitOf('dead.example'), 'open');
		assert.equal(gate.snapshot().circuitsOpened, 1);
		assert.ok(logger.entries.some((entry) => /circuit opened/.test(entry.message) && entry.fields.targetHost === 'dead.example' && entry.fields.attemptsWithoutAnswer === 3 && entry.fields.coolDownMs === 10_000), logger.lines.join('\n'));
		const deferred = deferral(gate.admit('dead.example', 'x3'));
		assert.equal(deferred.reason, 'circuit-open');
		assert.ok(deferred.dueAt >= gate.snapshot().hosts[0].reopensAt!);
	});

	it('an answer of any status resets the count; a DNS failure neither counts nor resets it', () => {
		const { gate } = gateOf();
		const fail = (answer: 'no-answer' | 'answered' | 'other') => gate.finish(permitOf(gate.admit('flaky.example')), answer, 5);
		fail('no-answer');
		fail('no-answer');
		fail('answered');
		fail('no-answer');
		fail('other');
		fail('no-answer');
		assert.equal(gate.circuitOf('flaky.example'), 'closed');
		fail('no-answer');
		assert.equal(gate.circuitOf('flaky.example'), 'open');
	});

	it('after the cool-down one probe goes through; no answer opens it again for twice as long, up to the maximum', () => {
		const { gate, advance, logger } = gateOf();
		for (let i = 0; i < 3; i++) gate.finish(permitOf(gate.admit('dead.example')), 'no-answer', 1000);
		advance(10_000);
		assert.equal(gate.circuitOf('dead.example'), 'half-open');
		const probe = permitOf(gate.admit('dead.example', 'p1'));
		assert.equal(probe.probe, true);
		assert.equal(deferral(gate.admit('dead.example', 'p2')).reason, 'probe-in-flight');
		gate.finish(probe, 'no-answer', 1000);
		assert.equal(gate.circuitOf('dead.example'), 'open');
		assert.equal(gate.snapshot().hosts[0].coolDownMs, 20_000);
		assert.ok(logger.entries.some((entry) => /probe got no answer; circuit open again/.test(entry.message) && entry.fields.coolDownMs === 20_000));
		advance(20_000);
		gate.finish(permitOf(gate.admit('dead.example')), 'no-answer', 1000);
		assert.equal(gate.snapshot().hosts[0].coolDownMs, 25_000, 'capped at circuitBreakerMaxCoolDownMs');
		assert.equal(gate.snapshot().circuitsOpened, 1, 'a failed probe is not a new opening');
	});

	it('a probe that gets an answer closes the circuit, logs it and hands back the deferred jobs oldest first', () => {
		const { gate, advance, logger, released } = gateOf();
		for (let i = 0; i < 3; i++) gate.finish(permitOf(gate.admit('back.example')), 'no-answer', 1000);
		for (const id of ['q1', 'q2', 'q3']) deferral(gate.admit('back.example', id));
		advance(10_000);
		const probe = permitOf(gate.admit('back.example', 'q1'));
		gate.finish(probe, 'answered', 30);
		assert.equal(gate.circuitOf('back.example'), 'closed');
		assert.equal(gate.snapshot().circuitsClosed, 1);
		assert.ok(logger.entries.some((entry) => /circuit closed, the receiver answers again/.test(entry.message) && entry.fields.targetHost === 'back.example' && entry.fields.resumed === 2), logger.lines.join('\n'));
		assert.deepEqual(released, [{ host: 'back.example', ids: ['q2', 'q3'] }]);
		assert.equal(gate.admit('back.example', 'q2').kind, 'send');
	});

	it('the jobs of an open circuit come back spaced, not all at once', () => {
		const { gate } = gateOf();
		for (let i = 0; i < 3; i++) gate.finish(permitOf(gate.admit('dead.example')), 'no-answer', 1000);
		const dues = Array.from({ length: 20 }, (_, i) => deferral(gate.admit('dead.example', `s${i}`)).dueAt);
		for (let i = 1; i < dues.length; i++) assert.ok(dues[i] - dues[i - 1] >= 1000 / UNANSWERED_HOST_CONCURRENCY, `${dues[i]} after ${dues[i - 1]}`);
	});

	it('the snapshot counts deferrals by reason and shows each host', () => {
		const { gate } = gateOf();
		for (let i = 0; i < 3; i++) gate.finish(permitOf(gate.admit('dead.example')), 'no-answer', 1000);
		deferral(gate.admit('dead.example', 'a'));
		const snapshot = gate.snapshot();
		assert.equal(snapshot.deferrals['circuit-open'], 1);
		assert.deepEqual(
			{ ...snapshot.hosts[0], reopensAt: typeof snapshot.hosts[0].reopensAt },
			{ host: 'dead.example', circuit: 'open', inFlight: 0, answering: false, share: UNANSWERED_HOST_CONCURRENCY, consecutiveNoAnswer: 3, reopensAt: 'number', coolDownMs: 10_000, deferred: 1, waiting: 0 },
		);
	});

	it('classifies results: any status is an answer; timeouts, refused and reset connections are none; DNS and the guard are neither', () => {
		assert.equal(hostAnswerOf({ kind: 'response', status: 503 }), 'answered');
		for (const errorClass of ['timeout', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNRESET']) assert.equal(hostAnswerOf({ kind: 'no-response', errorClass }), 'no-answer');
		for (const errorClass of ['ENOTFOUND', 'blocked-address', 'ERR_INVALID_URL']) assert.equal(hostAnswerOf({ kind: 'no-response', errorClass }), 'other');
	});

	it('keys targets by host and port', () => {
		assert.equal(targetHostOf('https://hooks.example:8443/a?b'), 'hooks.example:8443');
		assert.equal(targetHostOf('http://hooks.example/a'), 'hooks.example');
		assert.notEqual(targetHostOf('http://127.0.0.1:1000/'), targetHostOf('http://127.0.0.1:1001/'));
		assert.equal(targetHostOf('not a url'), 'not a url');
	});
});

describe('host gate: a fast receiver\'s share grows up to maxConcurrencyPerTargetHost', () => {
	// The job each host's last round left stepping aside: it comes back first in the next round, as from its line.
	const setAside = new Map<string, string>();
	/** Keeps `host` busy: admits jobs until one steps aside, then answers every request with `status` in `durationMs`; how many went. */
	function busyRound(gate: HostGate, host: string, round: number, durationMs: number, status = 200): number {
		const permits: HostPermit[] = [];
		const ids = [setAside.get(host), ...Array.from({ length: 100 }, (_, i) => `${host}-r${round}-${i}`)].filter((id) => id !== undefined);
		for (const id of ids) {
			const admission = gate.admit(host, id);
			if (admission.kind !== 'send') {
				setAside.set(host, id);
				break;
			}
			permits.push(admission.permit);
		}
		for (const permit of permits) gate.finish(permit, 'answered', durationMs, status);
		return permits.length;
	}
	/** One request to `host` by the job its last round set aside, answered with `status`. */
	function oneMore(gate: HostGate, host: string, status: number | 'no-answer'): void {
		const permit = permitOf(gate.admit(host, setAside.get(host)));
		setAside.delete(host);
		if (status === 'no-answer') gate.finish(permit, 'no-answer', 1000);
		else gate.finish(permit, 'answered', 5, status);
	}
	const shareOf = (gate: HostGate, host: string) => gate.snapshot().hosts.find((h) => h.host === host)?.share;

	it('grows by one slot per quick answer while jobs find it full, never past the maximum', () => {
		const { gate } = gateOf({ maxConcurrencyPerTargetHost: 10 });
		answerOnce(gate, 'fast.example', 5);
		assert.equal(shareOf(gate, 'fast.example'), 3, 'an answer with no job waiting for a slot grows nothing');
		assert.equal(busyRound(gate, 'fast.example', 1, 5), 3);
		assert.equal(shareOf(gate, 'fast.example'), 4, 'the first answer after a job found it full adds one slot');
		const sent = [2, 3, 4, 5].map((round) => busyRound(gate, 'fast.example', round, 5));
		assert.deepEqual(sent, [4, 5, 6, 7]);
		for (let round = 6; round < 12; round++) busyRound(gate, 'fast.example', round, 5);
		assert.equal(shareOf(gate, 'fast.example'), 10);
		assert.equal(busyRound(gate, 'fast.example', 12, 5), 10, 'the maximum caps it');
	});

	it('halves, not below concurrencyPerTargetHost, when the receiver answers 429 or 5xx', () => {
		const { gate } = gateOf({ maxConcurrencyPerTargetHost: 16 });
		answerOnce(gate, 'fast.example', 5);
		for (let round = 0; round < 13; round++) busyRound(gate, 'fast.example', round, 5);
		assert.equal(shareOf(gate, 'fast.example'), 16);
		oneMore(gate, 'fast.example', 429);
		assert.equal(shareOf(gate, 'fast.example'), 8);
		gate.finish(permitOf(gate.admit('fast.example', 'busy2')), 'answered', 5, 503);
		gate.finish(permitOf(gate.admit('fast.example', 'busy3')), 'answered', 5, 500);
		assert.equal(shareOf(gate, 'fast.example'), 3, 'never below concurrencyPerTargetHost');
		gate.finish(permitOf(gate.admit('fast.example', 'busy4')), 'answered', 5, 404);
		assert.equal(shareOf(gate, 'fast.example'), 3, 'a 4xx other than 429 is the request\'s fault, not load: no change without demand');
	});

	it('a slow receiver keeps concurrencyPerTargetHost however long its backlog, and a fast one that slows down falls back to it', () => {
		const { gate } = gateOf({ maxConcurrencyPerTargetHost: 16 });
		answerOnce(gate, 'slow.example', 400);
		for (let round = 0; round < 10; round++) assert.equal(busyRound(gate, 'slow.example', round, 400), 3);
		answerOnce(gate, 'fast.example', 5);
		for (let round = 0; round < 5; round++) busyRound(gate, 'fast.example', round, 5);
		assert.equal(shareOf(gate, 'fast.example'), 8);
		for (let round = 5; round < 20 && shareOf(gate, 'fast.example') !== 3; round++) busyRound(gate, 'fast.example', round, 2000);
		assert.equal(shareOf(gate, 'fast.example'), 3);
	});

	it('a receiver that stops answering drops to 2 slots and starts again from concurrencyPerTargetHost', () => {
		const { gate } = gateOf({ maxConcurrencyPerTargetHost: 16 });
		answerOnce(gate, 'fast.example', 5);
		for (let round = 0; round < 5; round++) busyRound(gate, 'fast.example', round, 5);
		oneMore(gate, 'fast.example', 'no-answer');
		assert.equal(shareOf(gate, 'fast.example'), UNANSWERED_HOST_CONCURRENCY);
		answerOnce(gate, 'fast.example', 5);
		assert.equal(shareOf(gate, 'fast.example'), 3);
	});

	it('without maxConcurrencyPerTargetHost the share never grows', () => {
		const { gate } = gateOf();
		answerOnce(gate, 'fast.example', 5);
		for (let round = 0; round < 5; round++) assert.equal(busyRound(gate, 'fast.example', round, 5), 3);
	});
});
