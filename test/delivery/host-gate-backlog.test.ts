import assert from 'node:assert/strict';
import { HostGate, type Admission, type Decision, type HostPermit } from '../../src/delivery/queue/host-gate.js';
import type { LineEntry } from '../../src/delivery/queue/host-line.js';
import { CapturingLogger } from './fixture.js';

/** A gate as a worker process runs it (64 slots, 8 per receiver), on a clock the test moves. */
function workerGate(overrides: { concurrencyPerTargetHost?: number; waitingSlots?: number } = {}) {
	let now = 1_000_000;
	const released: string[] = [];
	const broughtBack: LineEntry[] = [];
	const gate = new HostGate({
		concurrencyPerTargetHost: overrides.concurrencyPerTargetHost ?? 8,
		unansweredHostsConcurrency: 32,
		waitingSlots: overrides.waitingSlots ?? 64,
		requestTimeoutMs: 5000,
		circuitBreakerThreshold: 5,
		circuitBreakerCoolDownMs: 30_000,
		circuitBreakerMaxCoolDownMs: 600_000,
		logger: new CapturingLogger(),
		label: 'user webhook',
		onHostAnswering: (_host, ids) => released.push(...ids),
		onSlotsFree: (_host, jobs) => broughtBack.push(...jobs),
		now: () => now,
	});
	return { gate, released, broughtBack, advance: (ms: number) => { now += ms; }, now: () => now };
}

const deferrals = (gate: HostGate) => Object.values(gate.snapshot().deferrals).reduce((sum, count) => sum + count, 0);

function permitOf(admission: Admission): HostPermit {
	assert.equal(admission.kind, 'send', `expected a send, got ${JSON.stringify(admission)}`);
	return (admission as Extract<Admission, { kind: 'send' }>).permit;
}

function decisionOf(admission: Admission): Promise<Decision> {
	assert.equal(admission.kind, 'wait', `expected a wait, got ${JSON.stringify(admission)}`);
	return (admission as Extract<Admission, { kind: 'wait' }>).decision;
}

// A backlog queued for one healthy receiver before the worker started: the gate must not send it round the delayed set.
describe('host gate: a backlog to one fast receiver (docs/fairness.md)', () => {
	it('once the receiver has answered, no job of the backlog steps aside: free slots send, the rest wait in their slots, the released jobs first', async () => {
		const { gate, released } = workerGate();
		// A fresh worker takes 64 jobs of a receiver it has not heard from: 2 go, the others step aside.
		const first = Array.from({ length: 64 }, (_, i) => gate.admit('fast.example', `b${i}`));
		const permits = first.filter((admission) => admission.kind === 'send').map(permitOf);
		assert.equal(permits.length, 2);
		assert.equal(deferrals(gate), 62);
		// Its first answer releases them to the head of the waiting list.
		gate.finish(permits[0], 'answered', 2);
		assert.equal(released.length, 62);

		// Meanwhile the worker takes the next jobs of the backlog: none steps aside.
		const next = Array.from({ length: 60 }, (_, i) => gate.admit('fast.example', `b${64 + i}`));
		assert.deepEqual(next.map((admission) => admission.kind), [...Array<string>(7).fill('send'), ...Array<string>(53).fill('wait')]);
		assert.equal(deferrals(gate), 62, 'the jobs that came after the release went out or waited; none went round the delayed set');

		// A released job back from the head of the list waits ahead of the jobs that came after it.
		let newerServed = false;
		void decisionOf(next[7]).then(() => { newerServed = true; });
		const released0 = decisionOf(gate.admit('fast.example', released[0]));
		gate.finish(permitOf(next[0]), 'answered', 2);
		assert.equal((await released0).kind, 'send');
		await Promise.resolve();
		assert.equal(newerServed, false);
		assert.equal(deferrals(gate), 62);
	});

	it('jobs set aside while the receiver was slow come back as soon as it has free slots and nothing waits, oldest first, not at their due times', () => {
		const { gate, broughtBack, now } = workerGate({ concurrencyPerTargetHost: 3, waitingSlots: 0 });
		// Slow at first: answers in 600 ms, too slow to be waited for; its next jobs step aside along its line.
		gate.finish(permitOf(gate.admit('slow.example', 'warm')), 'answered', 600);
		const permits = [1, 2, 3].map((i) => permitOf(gate.admit('slow.example', `s${i}`)));
		const aside = [4, 5, 6, 7, 8].map((i) => gate.admit('slow.example', `s${i}`));
		assert.ok(aside.every((admission) => admission.kind === 'defer'));
		// Then it answers in 5 ms: each freed slot brings the next job of its line back at once.
		for (const permit of permits) gate.finish(permit, 'answered', 5);
		assert.deepEqual(broughtBack.map((job) => job.jobId), ['s4', 's5', 's6']);
		assert.ok(broughtBack.every((job) => job.dueAt > now()), 'they were not due yet');
		// On their way back they count: no more than the free slots are brought back at once.
		gate.finish(permitOf(gate.admit('slow.example', 's4')), 'answered', 5);
		assert.deepEqual(broughtBack.map((job) => job.jobId), ['s4', 's5', 's6', 's7']);
	});
});
