import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DataSource } from 'typeorm';
import { createWebhookModule } from '../src/index.js';
import { benchDatabaseUrl as databaseUrl, benchRedisUrl as redisUrl, idleBenchHost, openBenchDatabase } from './bench-services.js';

// What active webhooks cost a process: heap kept per webhook and the module's start time, at ACTIVE_WEBHOOKS beside
// the same process on the same database with none of the benchmark's webhooks (the baseline, same run). The start is
// timed twice over: in fresh processes, and in the process that has just written the rows, where the registry's
// first read of them also pays PostgreSQL's first visit to new rows (a host that creates the module right after a
// bulk import or a restore).
const ACTIVE_WEBHOOKS = Number(process.env.BENCH_ACTIVE_WEBHOOKS ?? 100_000);
const WEBHOOKS_PER_OWNER = 5;
const ROUNDS = 3;
const OWNER_PREFIX = 'benchmem';

export interface MemoryBenchFigures {
	activeWebhooks: number;
	baseline: StartReport;
	loaded: StartReport;
	bytesPerWebhook: number;
	startMsAtLoad: number;
	/** Median of ROUNDS starts, each in the process that has just written the rows. */
	startMsJustWritten: number;
	targets: { bytesPerWebhook: number; startMs: number };
}

interface StartReport {
	startMs: number;
	startCpuMs: number;
	heapBytes: number;
}

function startOnce(): Promise<StartReport> {
	return new Promise((resolve, reject) => {
		const child = fork(fileURLToPath(new URL('./module-start-process.ts', import.meta.url)), [databaseUrl, redisUrl, `bench-mem-${process.pid}`], {
			execArgv: ['--import', 'tsx', '--expose-gc'],
		});
		child.once('message', (report: StartReport) => resolve(report));
		child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the start process exited with ${code}`))));
	});
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/**
 * ROUNDS fresh processes: the median start (the figure a host meets), and the smallest heap (the least disturbed by
 * the collector's timing).
 */
async function freshStarts(): Promise<StartReport> {
	const reports: StartReport[] = [];
	for (let round = 0; round < ROUNDS; round++) reports.push(await startOnce());
	return {
		startMs: Math.round(median(reports.map((r) => r.startMs))),
		startCpuMs: Math.round(median(reports.map((r) => r.startCpuMs))),
		heapBytes: Math.min(...reports.map((r) => r.heapBytes)),
	};
}

async function writeWebhooks(dataSource: DataSource): Promise<void> {
	await dataSource.query(`DELETE FROM "webhook" WHERE "userId" LIKE '${OWNER_PREFIX}%'`);
	await dataSource.query(
		`INSERT INTO "webhook" ("id", "userId", "name", "on", "url", "secret", "active")
		SELECT 'bm' || lpad(n::text, 10, '0'), '${OWNER_PREFIX}' || (n / ${WEBHOOKS_PER_OWNER}), 'bench ' || n,
			CASE n % 3 WHEN 0 THEN '{note,reply,mention}' WHEN 1 THEN '{follow,followed}' ELSE '{note,renote,reaction,unfollow}' END::varchar[],
			'https://receiver' || (n % 97) || '.example/hooks/' || n, 'secret-' || n, true
		FROM generate_series(1, $1) AS n`,
		[ACTIVE_WEBHOOKS],
	);
}

/** The median of ROUNDS starts in this process, each right after it wrote the rows again. */
async function startsJustWritten(dataSource: DataSource): Promise<number> {
	const times: number[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		await writeWebhooks(dataSource);
		const startedAt = performance.now();
		const webhooks = await createWebhookModule({ dataSource, host: idleBenchHost, serverUrl: 'https://bench.example', redisUrl, queuePrefix: `bench-mem-${process.pid}` });
		times.push(performance.now() - startedAt);
		await webhooks.close();
	}
	return Math.round(median(times));
}

export async function benchMemory(): Promise<MemoryBenchFigures> {
	const dataSource = await openBenchDatabase();
	try {
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" LIKE '${OWNER_PREFIX}%'`);
		const baseline = await freshStarts();
		const startMsJustWritten = await startsJustWritten(dataSource);
		const loaded = await freshStarts();
		const figures: MemoryBenchFigures = {
			activeWebhooks: ACTIVE_WEBHOOKS,
			baseline,
			loaded,
			bytesPerWebhook: Math.round((loaded.heapBytes - baseline.heapBytes) / ACTIVE_WEBHOOKS),
			startMsAtLoad: loaded.startMs,
			startMsJustWritten,
			targets: { bytesPerWebhook: 400, startMs: 500 },
		};
		console.log(`registry memory and start, ${ACTIVE_WEBHOOKS} active webhooks (median start and smallest heap of ${ROUNDS} processes each):`);
		console.log(`  without them: start ${baseline.startMs} ms (CPU ${baseline.startCpuMs} ms), heap kept ${(baseline.heapBytes / 1e6).toFixed(1)} MB`);
		console.log(`  with them:    start ${loaded.startMs} ms (CPU ${loaded.startCpuMs} ms), heap kept ${(loaded.heapBytes / 1e6).toFixed(1)} MB`);
		console.log(`  with them, in the process that has just written them: start ${startMsJustWritten} ms (median of ${ROUNDS})`);
		console.log(`  ${figures.bytesPerWebhook} bytes of heap per active webhook (target ≤ 400); start ${loaded.startMs} ms fresh, ${startMsJustWritten} ms just written (target ≤ 500)`);
		await mkdir(new URL('./results/', import.meta.url), { recursive: true });
		await writeFile(new URL('./results/memory.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
		return figures;
	} finally {
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" LIKE '${OWNER_PREFIX}%'`).catch(() => undefined);
		await dataSource.destroy();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchMemory();
	process.exit(0);
}
