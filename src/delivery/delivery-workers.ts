import type Bull from 'bull';
import type { WebhookDeliverJobData } from './job/job-data.js';
import type { AttemptRecorder } from './log/attempt-record.js';
import type { DeliveryAgents } from './sender/agents.js';
import { WebhookSender } from './sender/sender.js';
import { HostGate, type FairnessSnapshot } from './queue/host-gate.js';
import { bringBackEarly, releaseHostLine } from './queue/deferral.js';
import { noDeferrals } from './queue/admission.js';
import { createWebhookDeliverProcessor } from './queue/worker.js';
import { LastTakenWriter } from './queue/last-taken.js';
import { WebhookRateLimiter } from './queue/webhook-rate.js';
import { describeError } from '../core/database-error.js';
import type { CurrentSecretsLookup } from './job/current-secrets.js';
import type { WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';
import type { DeliveryPartInput } from './webhook-kind.js';

/** What the workers of one kind run with; the delivery that composes them owns the queue, agents and recorders. */
export interface DeliveryWorkersInput<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> extends DeliveryPartInput<Target, Data> {
	agents: DeliveryAgents;
	recorders: readonly AttemptRecorder[];
	currentSecrets: CurrentSecretsLookup | undefined;
	/** A job came without its data: Redis lost jobs just now. */
	onJobWithoutData: () => void;
	/** Runs work (releasing a host's line) that no job waits for. */
	inBackground: (work: Promise<void>) => void;
}

const NO_FAIRNESS: FairnessSnapshot = { inFlight: 0, unansweredInFlight: 0, waiting: 0, deferrals: noDeferrals(), circuitsOpened: 0, circuitsClosed: 0, hosts: [] };

/** What makes this process deliver the queued jobs of one kind, its slots shared between receivers by the host gate. */
export class DeliveryWorkers<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	private readonly input: DeliveryWorkersInput<Target, Data>;
	private gate: HostGate | null = null;
	private lastTaken: LastTakenWriter | null = null;
	private running = false;

	constructor(input: DeliveryWorkersInput<Target, Data>) {
		this.input = input;
	}

	/** Starts delivering queued jobs in this process, the kind's concurrency at a time; false when they already run. */
	async start(): Promise<boolean> {
		if (this.running) return false;
		this.running = true;
		const { kind, options, logger, queue } = this.input;
		const concurrency = kind.concurrency(options);
		const gate = new HostGate({
			...options,
			// The option is a share of workerConcurrency; a queue with fewer slots (system webhooks: 16) gets the same share.
			unansweredHostsConcurrency: Math.max(1, Math.min(concurrency, Math.ceil((concurrency * options.unansweredHostsConcurrency) / options.workerConcurrency))),
			// Any slot may wait for a fast receiver's next free slot rather than go round the delayed set; the gate lets only
			// as many wait as the receiver gets to soon, so a backlog to one fast receiver drains without a round trip per job.
			waitingSlots: concurrency,
			logger,
			label: kind.label,
			// A receiver that (again) answers gets the deliveries set aside for it now, not at their far-off due times.
			onHostAnswering: (host, jobIds) => this.input.inBackground(releaseHostLine(queue as Bull.Queue, host, jobIds)),
			// A receiver with free slots gets the deliveries set aside for it now, not at times laid out for a slower pace.
			onSlotsFree: (host, jobs) => this.input.inBackground(bringBackEarly(queue as Bull.Queue, host, jobs)),
		});
		this.gate = gate;
		const { agents, currentSecrets } = this.input;
		const processor = createWebhookDeliverProcessor<Data>({
			sender: new WebhookSender({ options, agents, ...(currentSecrets ? { currentSecrets } : {}) }),
			gate,
			rate: new WebhookRateLimiter(queue as Bull.Queue),
			recorders: this.input.recorders,
			logger,
			kind: kind.name,
			options,
			label: kind.label,
			onJobWithoutData: this.input.onJobWithoutData,
		});
		// Every process can then tell whether some worker serves this queue (health, metrics, the unattended warning).
		const lastTaken = new LastTakenWriter(queue as Bull.Queue);
		this.lastTaken = lastTaken;
		queue.on('active', () => lastTaken.taken());
		// Bull's process() settles only when the queue closes; failures to start surface as the queue's errors.
		queue.process('*', concurrency, processor).catch((error: unknown) => {
			logger.error({ kind: kind.name, error: describeError(error) }, `${kind.label} worker stopped`);
		});
		await queue.isReady();
		return true;
	}

	/**
	 * How this worker process shares its slots between receivers (docs/fairness.md): requests in flight, deferrals by
	 * reason, and each known target host's circuit. Per process; empty before `start`.
	 */
	fairness(): FairnessSnapshot {
		return this.gate?.snapshot() ?? NO_FAIRNESS;
	}

	/** Stops taking jobs and lets the running ones finish. */
	async stop(): Promise<void> {
		this.lastTaken?.stop();
		if (this.running) await this.input.queue.pause(true);
	}
}
