/**
 * The Lua scripts behind the per-webhook delivery rate (webhook-rate.ts), run atomically on Redis's own clock, so
 * every worker process sees one state whatever its own clock says.
 *
 * The state of one webhook is a hash: `tat`, the theoretical arrival time of the generic cell rate algorithm (GCRA: a
 * job may go once `tat - (burst - 1) × interval` has come, and each one that goes moves `tat` on by one interval),
 * and `until`, the end of a pause a receiver's Retry-After asked for. Beside it, a sorted set of the slots reserved by
 * jobs that stepped aside: job id, scored by the time its slot comes.
 */

/** Current time on Redis's clock, ms (Redis 5 and later replicate a script's effects, so reading the clock is allowed). */
const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * Takes a slot for job ARGV[1]; answers 0 (go now) or the ms until its slot. KEYS: state hash, reserved slots.
 * ARGV: job id, interval ms, burst, ms after which a reservation never claimed is forgotten, how long the state
 * outlives its last slot. A job coming back for its reserved slot goes once the slot has come, unless a pause
 * reaching past the slot began meanwhile: then it takes a fresh slot, after the pause.
 */
export const RATE_TAKE_SCRIPT = `${NOW}
local interval = tonumber(ARGV[2])
local tolerance = (tonumber(ARGV[3]) - 1) * interval
local blockedUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local reserved = redis.call('ZSCORE', KEYS[2], ARGV[1])
if reserved then
	reserved = tonumber(reserved)
	if reserved >= blockedUntil then
		if reserved <= now then
			redis.call('ZREM', KEYS[2], ARGV[1])
			return 0
		end
		return math.ceil(reserved - now)
	end
	redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[4]))
local tat = math.max(tonumber(redis.call('HGET', KEYS[1], 'tat') or '0'), now, blockedUntil + tolerance)
local slot = math.max(tat - tolerance, now)
redis.call('HSET', KEYS[1], 'tat', tat + interval)
local keep = math.ceil(tat + interval - now + tonumber(ARGV[5]))
if redis.call('PTTL', KEYS[1]) < keep then redis.call('PEXPIRE', KEYS[1], keep) end
if slot <= now then return 0 end
redis.call('ZADD', KEYS[2], slot, ARGV[1])
if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
return math.ceil(slot - now)
`;

/**
 * Pauses the webhook's deliveries for ARGV[1] ms from now (a later pause already set stands). KEYS: state hash.
 * ARGV: the pause, ms; how long the state outlives it. Answers the pause's end.
 */
export const RATE_PUSH_BACK_SCRIPT = `${NOW}
local untilAt = now + tonumber(ARGV[1])
local blockedUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if untilAt <= blockedUntil then return blockedUntil end
redis.call('HSET', KEYS[1], 'until', untilAt)
local keep = math.ceil(untilAt - now + tonumber(ARGV[2]))
if redis.call('PTTL', KEYS[1]) < keep then redis.call('PEXPIRE', KEYS[1], keep) end
return untilAt
`;
