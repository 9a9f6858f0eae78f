import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchDatabaseUrl as databaseUrl, benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';

// What active webhooks cost a process: heap kept per webhook and the module's start time, at ACTIVE_WEBHOOKS beside
// the same process on the same database with none of the benchmark's webhooks (the baseline, same run).
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

/** The best of ROUNDS fresh processes: the smallest heap and the fastest start are the least disturbed by the machine. */
async function bestStart(): Promise<StartReport> {
	const reports: StartReport[] = [];
	for (let round = 0; round < ROUNDS; round++) reports.push(await startOnce());
	return {
		startMs: Math.round(Math.min(...reports.map((r) => r.startMs))),
		startCpuMs: Math.round(Math.min(...reports.map((r) => r.startCpuMs))),
		heapBytes: Math.min(...reports.map((r) => r.heapBytes)),
	};
}

export async function benchMemory(): Promise<MemoryBenchFigures> {
	const dataSource = await openBenchDatabase();
	try {
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" LIKE '${OWNER_PREFIX}%'`);
		const baseline = await bestStart();
		await dataSource.query(
			`INSERT INTO "webhook" ("id", "userId", "name", "on", "url", "secret", "active")
			SELECT 'bm' || lpad(n::text, 10, '0'), '${OWNER_PREFIX}' || (n / ${WEBHOOKS_PER_OWNER}), 'bench ' || n,
				CASE n % 3 WHEN 0 THEN '{note,reply,mention}' WHEN 1 THEN '{follow,followed}' ELSE '{note,renote,reaction,unfollow}' END::varchar[],
				'https://receiver' || (n % 97) || '.example/hooks/' || n, 'secret-' || n, true
			FROM generate_series(1, $1) AS n`,
			[ACTIVE_WEBHOOKS],
		);
		const loaded = await bestStart();
		const figures: MemoryBenchFigures = {
			activeWebhooks: ACTIVE_WEBHOOKS,
			baseline,
			loaded,
			bytesPerWebhook: Math.round((loaded.heapBytes - baseline.heapBytes) / ACTIVE_WEBHOOKS),
			startMsAtLoad: loaded.startMs,
			targets: { bytesPerWebhook: 400, startMs: 500 },
		};
		console.log(`registry memory and start, ${ACTIVE_WEBHOOKS} active webhooks (best of ${ROUNDS} processes each):`);
		console.log(`  without them: start ${baseline.startMs} ms (CPU ${baseline.startCpuMs} ms), heap kept ${(baseline.heapBytes / 1e6).toFixed(1)} MB`);
		console.log(`  with them:    start ${loaded.startMs} ms (CPU ${loaded.startCpuMs} ms), heap kept ${(loaded.heapBytes / 1e6).toFixed(1)} MB`);
		console.log(`  ${figures.bytesPerWebhook} bytes of heap per active webhook (target ≤ 400); start ${loaded.startMs} ms (target ≤ 500)`);
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
