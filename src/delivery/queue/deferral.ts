import type Bull from 'bull';

/** What the processor resolves with for a job it deferred; Bull never stores it (the job is delayed, not completed). */
export const DEFERRED_RETURN_VALUE = 'Deferred';

/**
 * Moves an active job to the delayed set until `dueAt` (epoch ms), in `host`'s line, and frees its worker slot, without
 * an attempt. `host` null: the job waits for its webhook's delivery rate, not for its host, and joins no line (a line's
 * release must not bring it back before its slot).
 */
export type JobDeferrer = (job: Bull.Job, dueAt: number, host: string | null) => Promise<void>;

/** The part of Bull 4's job this relies on beyond its typings (node_modules/bull/lib/job.js). */
interface DeferrableJob {
	moveToDelayed(timestamp: number, ignoreLock?: boolean): Promise<void>;
	moveToCompleted(returnValue?: unknown, ignoreLock?: boolean, notFetch?: boolean): Promise<unknown>;
}

/** A job deferred for less than this, ms, comes back soon enough on its own and does not join its host's line. */
const LINE_MIN_WAIT_MS = 1000;

/** How long a host's line outlives the due time of its last job, ms: long enough to be released, short enough to clean itself up. */
const LINE_KEY_MARGIN_MS = 60 * 60_000;

// Adds the job to its host's line (score: due time) and keeps the line's key alive until its last job is due.
const JOIN_LINE_SCRIPT = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

// The jobs still waiting in a host's line (due after ARGV[1]), oldest due first; members due earlier came back on their
// own (one may since sit in the delayed set for a real retry, which must keep its wait) and are dropped.
const READ_LINE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
`;

/** The key of a host's line of deferred jobs in the queue; shared by every worker process of the queue. */
export function lineKey(queue: Bull.Queue, host: string): string {
	return queue.toKey(`deferred:${host}`);
}

/**
 * Defers a job the processor holds, in Bull 4 (which has no "delayed" outcome for a processor): one atomic script
 * takes the job off the active list, drops our lock and adds it to the delayed set with its `attemptsMade` untouched;
 * the job keeps its id, data and options, so the outbox row stays pending and the reconciler still finds the job.
 * The job also joins its host's line in Redis, so whichever worker process next hears the host answer can bring it
 * back at once, even when the process that deferred it is gone.
 * When the processor then resolves, Bull would move the job to completed, which fails for a job that is no longer
 * active (and its failure path would count an attempt): this job's completion step is made a no-op instead, so Bull
 * goes straight on to the next job. Bull still emits a local `completed` event with `DEFERRED_RETURN_VALUE`.
 */
export const deferActiveJob: JobDeferrer = async (job, dueAt, host) => {
	const deferrable = job as unknown as DeferrableJob;
	const waitMs = dueAt - Date.now();
	// Sent together on one connection: the move first, then the line (only for a wait worth cutting short). The line
	// only brings the job back sooner: if joining it fails, the job still comes back at its due time.
	await Promise.all([
		deferrable.moveToDelayed(dueAt),
		host !== null && waitMs >= LINE_MIN_WAIT_MS ? job.queue.client.eval(JOIN_LINE_SCRIPT, 1, lineKey(job.queue, host), dueAt, String(job.id), waitMs + LINE_KEY_MARGIN_MS).catch(() => undefined) : null,
	]);
	deferrable.moveToCompleted = () => Promise.resolve(null);
};

// Moves delayed jobs to the head of the waiting list, the end workers take from, oldest taken first, and takes them
// out of the host's line (KEYS[5]). ARGV[3..] are pairs of a job id and the due time (epoch ms) it was deferred to,
// oldest first; due time 0: whatever its due time. A job no longer delayed (taken, removed), or delayed to another time
// (a real retry since), is skipped. As Bull's own promote, into the paused list while the queue is paused; our jobs
// carry no priority. Bull scores a delayed job by its due time × 4096 plus the low bits of a numeric id.
const MOVE_TO_HEAD_SCRIPT = `
local target = KEYS[2]
if redis.call('EXISTS', KEYS[4]) == 1 then target = KEYS[3] end
local moved = 0
for i = #ARGV - 1, 3, -2 do
  local id = ARGV[i]
  local due = tonumber(ARGV[i + 1])
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and (due == 0 or math.floor(tonumber(score) / 4096) == due) then
    redis.call('ZREM', KEYS[1], id)
    redis.call('RPUSH', target, id)
    redis.call('HSET', ARGV[1] .. id, 'delay', 0)
    redis.call('PUBLISH', KEYS[2] .. 'ing@' .. ARGV[2], id)
    moved = moved + 1
  end
  redis.call('ZREM', KEYS[5], id)
end
return moved
`;

/** Moves `jobs` (oldest first) from the delayed set to the head of the waiting list, and out of `host`'s line. */
function moveToHead(queue: Bull.Queue, host: string, jobs: ReadonlyArray<{ jobId: string; dueAt?: number }>): Promise<unknown> {
	const keys = [queue.toKey('delayed'), queue.toKey('wait'), queue.toKey('paused'), queue.toKey('meta-paused'), lineKey(queue, host)];
	const pairs = jobs.flatMap((job) => [job.jobId, job.dueAt ?? 0]);
	return queue.client.eval(MOVE_TO_HEAD_SCRIPT, keys.length, ...keys, queue.toKey(''), (queue as unknown as { token: string }).token, ...pairs);
}

/**
 * Brings back at once one job this process just deferred (its receiver answered while the job was being moved), ahead
 * of the jobs queued after it, and takes it out of the line, so a later release cannot cut short a retry wait it may
 * be given afterwards.
 */
export async function returnDeferredJob(job: Bull.Job, host: string): Promise<void> {
	await moveToHead(job.queue, host, [{ jobId: String(job.id) }]).catch(() => undefined);
}

/**
 * Brings jobs this process deferred back before their due time, to the head of the waiting list: their receiver has
 * free slots now. A job no longer deferred to that time (back already, or waiting for a real retry) is left alone.
 */
export async function bringBackEarly(queue: Bull.Queue, host: string, jobs: ReadonlyArray<{ jobId: string; dueAt: number }>): Promise<void> {
	await moveToHead(queue, host, jobs);
}

/** Deferred jobs moved from the delayed set to the waiting list in one script, this many at a time. */
const RELEASE_CHUNK = 100;

/**
 * Moves the jobs in `host`'s line (deferred by any worker process) and `alsoJobIds` back to the waiting list now, in
 * the line's order, ahead of the jobs queued after them: their receiver answers again. (Bull's promote would put them
 * behind a backlog queued meanwhile, which would then overtake them.) A job that is no longer delayed (another process
 * took it, it was removed) is skipped. The newest chunk moves first, so the oldest end up at the head; each chunk leaves
 * the line in the script that moves it, so a process that dies halfway leaves the rest for the next release.
 */
export async function releaseHostLine(queue: Bull.Queue, host: string, alsoJobIds: readonly string[] = []): Promise<void> {
	const line = (await queue.client.eval(READ_LINE_SCRIPT, 1, lineKey(queue, host), Date.now())) as string[];
	const inLine = new Set(line);
	const ids = [...line, ...alsoJobIds.filter((id) => !inLine.has(id))];
	for (let end = ids.length; end > 0; end -= RELEASE_CHUNK) await moveToHead(queue, host, ids.slice(Math.max(0, end - RELEASE_CHUNK), end).map((jobId) => ({ jobId })));
}
