import type Bull from 'bull';

/** What the processor resolves with for a job it deferred; Bull never stores it (the job is delayed, not completed). */
export const DEFERRED_RETURN_VALUE = 'Deferred';

/** Moves an active job to the delayed set until `dueAt` (epoch ms) and frees its worker slot, without an attempt. */
export type JobDeferrer = (job: Bull.Job, dueAt: number) => Promise<void>;

/** The part of Bull 4's job this relies on beyond its typings (node_modules/bull/lib/job.js). */
interface DeferrableJob {
	moveToDelayed(timestamp: number, ignoreLock?: boolean): Promise<void>;
	moveToCompleted(returnValue?: unknown, ignoreLock?: boolean, notFetch?: boolean): Promise<unknown>;
}

/**
 * Defers a job the processor holds, in Bull 4 (which has no "delayed" outcome for a processor): one atomic script
 * takes the job off the active list, drops our lock and adds it to the delayed set with its `attemptsMade` untouched;
 * the job keeps its id, data and options, so the outbox row stays pending and the reconciler still finds the job.
 * When the processor then resolves, Bull would move the job to completed, which fails for a job that is no longer
 * active (and its failure path would count an attempt): this job's completion step is made a no-op instead, so Bull
 * goes straight on to the next job. Bull still emits a local `completed` event with `DEFERRED_RETURN_VALUE`.
 */
export const deferActiveJob: JobDeferrer = async (job, dueAt) => {
	const deferrable = job as unknown as DeferrableJob;
	await deferrable.moveToDelayed(dueAt);
	deferrable.moveToCompleted = () => Promise.resolve(null);
};

/** Deferred jobs moved from the delayed set to the waiting list at once, this many at a time. */
const PROMOTE_CHUNK = 50;

/**
 * Moves deferred jobs back to the waiting list now, in the order given (their receiver answers again). A job that is
 * no longer delayed (another process took it, it was removed) is skipped.
 */
export async function promoteDeferredJobs(queue: Bull.Queue, jobIds: readonly string[]): Promise<void> {
	for (let start = 0; start < jobIds.length; start += PROMOTE_CHUNK) {
		const jobs = await Promise.all(jobIds.slice(start, start + PROMOTE_CHUNK).map((id) => queue.getJob(id)));
		// Issued in order on one connection, so they reach the waiting list in order.
		await Promise.all(jobs.map((job) => (job ? job.promote().catch(() => undefined) : Promise.resolve())));
	}
}
