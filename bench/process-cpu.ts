import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

// CPU time of the services a benchmark shares its cores with, read where the kernel and Redis keep it: on a 2-core
// machine, PostgreSQL's and Redis's work for a side is as much its cost as its own process's.

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime, stime, cutime, cstime (ms) and the parent of a process, or null once it is gone. */
export function procStat(pid: number): { ppid: number; selfMs: number; childrenMs: number } | null {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return null;
	}
	// The command name may hold spaces and parentheses: the fields start after the last ')'.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const ms = (i: number) => (Number(fields[i]) * 1000) / TICKS_PER_SECOND;
	return { ppid: Number(fields[1]), selfMs: ms(11) + ms(12), childrenMs: ms(13) + ms(14) };
}

export const processCpuMs = (pid: number | undefined) => (pid === undefined ? 0 : (procStat(pid)?.selfMs ?? 0));

/**
 * PostgreSQL's CPU: the postmaster with what its exited children used (cutime, cstime) and every live child. A backend
 * that exits moves its time from the second sum to the first, so nothing is lost or counted twice.
 */
export function postgresCpuMs(postmaster: number): { totalMs: number; byPid: Map<number, number> } {
	const self = procStat(postmaster);
	if (!self) throw new Error(`PostgreSQL's postmaster (pid ${postmaster}) is gone`);
	let totalMs = self.selfMs + self.childrenMs;
	const byPid = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = procStat(Number(entry));
		if (stat?.ppid !== postmaster) continue;
		totalMs += stat.selfMs;
		byPid.set(Number(entry), stat.selfMs);
	}
	return { totalMs, byPid };
}

/** PostgreSQL's postmaster: the parent of the backend serving a connection whose `pg_backend_pid()` is given. */
export function postmasterOfBackend(backendPid: number): number {
	const stat = procStat(backendPid);
	if (!stat) throw new Error(`PostgreSQL's backend ${backendPid} is not visible in /proc: the benchmark reads PostgreSQL's CPU there, on the same machine`);
	return stat.ppid;
}

/** Redis's CPU (user and system, all its threads) as the server itself counts it, ms. */
export async function redisCpuMs(client: Redis): Promise<number> {
	const info = await client.info('cpu');
	const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
	return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
}

/** PostgreSQL's and Redis's CPU so far, ms; a side's share of them is the difference over its window. */
export interface ServiceCpuReading {
	postgresMs: number;
	redisMs: number;
}

/** Reads the CPU of the PostgreSQL cluster and the Redis server a benchmark runs against. */
export class ServiceCpu {
	private constructor(
		private readonly postmaster: number,
		private readonly redis: Redis,
	) {}

	/** `backendPid`: `pg_backend_pid()` of any connection to the cluster; `redis` stays the caller's to close. */
	static of(backendPid: number, redis: Redis): ServiceCpu {
		return new ServiceCpu(postmasterOfBackend(backendPid), redis);
	}

	async read(): Promise<ServiceCpuReading> {
		return { postgresMs: postgresCpuMs(this.postmaster).totalMs, redisMs: await redisCpuMs(this.redis) };
	}
}
