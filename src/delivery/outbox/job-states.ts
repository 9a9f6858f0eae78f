import type Bull from 'bull';

/**
 * Where a delivery's job stands in its queue, as far as the reconciler cares:
 * - `waiting`, `active`, `delayed`, `paused`: live, a worker will run it; leave it alone;
 * - `missing`: no job hash at all (Redis lost it, or the add never happened);
 * - `husk`: a job hash without `data`. Bull's `moveToActive` writes `processedOn` into a job whose hash Redis lost (a
 *   restart without persistence while the id was still in a list), which creates a hash holding nothing else;
 * - `stranded`: a job with its data that sits in no live state (completed or failed while its row says pending: the
 *   attempt's record was lost with its process);
 * - `finishing`: a job that finished less than `FINISHED_JOB_GRACE_MS` ago: its attempt's record is written in a batch
 *   a moment after the job ends, so its row may still say pending; it is left alone until then.
 * Only the live states (and `finishing`) count as queued; the others are re-queued from the outbox.
 */
export type JobState = 'waiting' | 'active' | 'delayed' | 'paused' | 'missing' | 'husk' | 'stranded' | 'finishing';

export const LIVE_JOB_STATES: ReadonlySet<JobState> = new Set(['waiting', 'active', 'delayed', 'paused', 'finishing']);

/**
 * How long after a job finished its row may still say pending before the job counts as stranded: far longer than the
 * batched record writes take (tens of ms), so a delivery that just went out is never sent again.
 */
export const FINISHED_JOB_GRACE_MS = 30_000;

// Lists scanned in chunks so a long wait list neither blocks Redis for long nor builds one huge reply; the scan of a
// list stops as soon as every id still in question has been found.
const JOB_STATES_SCRIPT = `
local prefix = ARGV[1]
local states = {}
local unresolved = {}
local left = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local key = prefix .. id
  if redis.call('EXISTS', key) == 0 then
    states[i - 1] = 'missing'
  elseif redis.call('HEXISTS', key, 'data') == 0 then
    states[i - 1] = 'husk'
  elseif redis.call('ZSCORE', prefix .. 'delayed', id) then
    states[i - 1] = 'delayed'
  else
    states[i - 1] = 'stranded'
    unresolved[id] = i - 1
    left = left + 1
  end
end
for _, list in ipairs({ 'active', 'wait', 'paused' }) do
  local start = 0
  while left > 0 do
    local chunk = redis.call('LRANGE', prefix .. list, start, start + 999)
    if #chunk == 0 then break end
    for _, id in ipairs(chunk) do
      local index = unresolved[id]
      if index then
        states[index] = (list == 'wait') and 'waiting' or list
        unresolved[id] = nil
        left = left - 1
      end
    end
    start = start + 1000
  end
end
return states
`;

// Everything Bull may hold under a job id, so the next add of that id is not taken for a duplicate and ignored.
const REMOVE_JOBS_SCRIPT = `
local prefix = ARGV[1]
for i = 2, #ARGV do
  local id = ARGV[i]
  redis.call('DEL', prefix .. id, prefix .. id .. ':logs', prefix .. id .. ':lock')
  for _, list in ipairs({ 'wait', 'active', 'paused' }) do redis.call('LREM', prefix .. list, 0, id) end
  for _, set in ipairs({ 'delayed', 'completed', 'failed', 'priority' }) do redis.call('ZREM', prefix .. set, id) end
  redis.call('SREM', prefix .. 'stalled', id)
end
return #ARGV - 1
`;

/** The state of each job id (in order), in one round trip. */
export async function jobStates(queue: Bull.Queue, ids: readonly string[]): Promise<JobState[]> {
	if (ids.length === 0) return [];
	const states = (await queue.client.eval(JOB_STATES_SCRIPT, 0, queue.toKey(''), ...ids)) as JobState[];
	const stranded = ids.flatMap((id, index) => (states[index] === 'stranded' ? [index] : []));
	if (stranded.length === 0) return states;
	const finishedOn = await Promise.all(stranded.map((index) => queue.client.hget(queue.toKey(ids[index]), 'finishedOn')));
	const now = Date.now();
	stranded.forEach((index, i) => {
		const at = Number(finishedOn[i]);
		if (finishedOn[i] !== null && Number.isFinite(at) && now - at < FINISHED_JOB_GRACE_MS) states[index] = 'finishing';
	});
	return states;
}

/** Removes every trace of these job ids from the queue (hash, lists, sets, lock), in one round trip. */
export async function removeJobTraces(queue: Bull.Queue, ids: readonly string[]): Promise<void> {
	if (ids.length === 0) return;
	await queue.client.eval(REMOVE_JOBS_SCRIPT, 0, queue.toKey(''), ...ids);
}
