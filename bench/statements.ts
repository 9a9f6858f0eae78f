import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { webhookEntities } from '../src/index.js';
import { AttemptStore } from '../src/store/attempt-store.js';
import { DeliveryStore, type NewDelivery, type NewDeliveryEvent } from '../src/store/delivery-store.js';
import { generateId } from '../src/store/id.js';
import { sendUnnamed } from '../src/store/prepared-statement.js';
import { benchDatabaseUrl, openBenchDatabase } from './bench-services.js';
import { procStat } from './process-cpu.js';

// PostgreSQL's own CPU for the two statements every delivery costs it: the outbox INSERT and the attempt write, per row,
// as the server's backend process counts it (/proc), so the driver's and this process's time are not in it. Each
// case runs as a named prepared statement (what the module does) and unnamed (parsed and planned at every call, the
// baseline), in alternating rounds on one connection each; each figure is the median round. One event per INSERT and
// a few attempts per write are what a Misskey server at a hundred notes a second sends; 500 are a burst's.

const ROWS = Number(process.env.BENCH_STATEMENT_ROWS ?? 1_500);
const ROUNDS = Number(process.env.BENCH_STATEMENT_ROUNDS ?? 5);
const QUEUE_PREFIX = 'bench-statements';

interface Case {
	name: string;
	/** Rows a statement carries. */
	perStatement: number;
}

const CASES: readonly Case[] = [
	{ name: 'outbox INSERT, one event a statement', perStatement: 1 },
	{ name: 'outbox INSERT, 500 events a statement', perStatement: 500 },
	{ name: 'attempt write, 6 attempts a statement', perStatement: 6 },
	{ name: 'attempt write, 500 attempts a statement', perStatement: 500 },
];

export interface StatementFigures {
	rows: number;
	rounds: number;
	/** Backend CPU per row, µs: prepared, unnamed, and prepared / unnamed. */
	cases: Array<{ name: string; perStatement: number; preparedMicrosPerRow: number; unnamedMicrosPerRow: number; ratio: number }>;
}

const body = JSON.stringify({ note: { id: 'n', text: 'a note of a usual length, a sentence or two with a few words in it', user: { id: 'u', name: 'Bench', username: 'bench' }, visibility: 'public', renoteCount: 0, repliesCount: 0, reactions: {} } });

function newRow(id: string, index: number): NewDelivery {
	return {
		id, webhookId: `hook${index % 120}`, userId: 'owner', eventId: randomUUID(), url: 'http://receiver.example/', secret: 'secret',
		retryPolicy: 'standard', sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 7, format: 'misskey', deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json',
	} as NewDelivery;
}

class Side {
	private constructor(readonly dataSource: DataSource, private readonly backend: number) {}

	static async open(prepared: boolean): Promise<Side> {
		const dataSource = new DataSource({ type: 'postgres', url: benchDatabaseUrl, entities: [...webhookEntities], extra: { max: 1 } });
		await dataSource.initialize();
		if (!prepared) sendUnnamed(dataSource);
		const [{ pid }] = (await dataSource.query('SELECT pg_backend_pid() AS pid')) as Array<{ pid: number }>;
		return new Side(dataSource, pid);
	}

	/** The backend's CPU so far, ms. */
	cpuMs(): number {
		return procStat(this.backend)?.selfMs ?? Number.NaN;
	}

	/** Writes ROWS pending deliveries, `perInsert` events a statement; returns their ids and the backend's µs per row. */
	async insert(perInsert: number): Promise<{ ids: string[]; micros: number }> {
		const store = new DeliveryStore(this.dataSource);
		const ids: string[] = [];
		const before = this.cpuMs();
		for (let i = 0; i < ROWS; i += perInsert) {
			const events: Array<{ event: NewDeliveryEvent; rows: NewDelivery[] }> = [];
			for (let j = i; j < Math.min(ROWS, i + perInsert); j++) {
				const id = generateId();
				ids.push(id);
				events.push({ event: { kind: 'user', queuePrefix: QUEUE_PREFIX, type: 'note', bodyText: body, createdAt: new Date() }, rows: [newRow(id, j)] });
			}
			await store.insertEvents(events);
		}
		return { ids, micros: ((this.cpuMs() - before) * 1000) / ROWS };
	}

	/** Logs one delivered attempt for each id, `perWrite` a statement; the backend's µs per attempt. */
	async attempts(ids: readonly string[], perWrite: number): Promise<number> {
		const store = new AttemptStore(this.dataSource);
		const before = this.cpuMs();
		for (let i = 0; i < ids.length; i += perWrite) {
			const now = new Date();
			const chunk = ids.slice(i, i + perWrite);
			await store.writeBatch(
				chunk.map((deliveryId) => ({ id: generateId(), deliveryId, number: 1, startedAt: now, durationMs: 3, status: 200, errorClass: null, reason: null, responseBody: null, nextAttemptAt: null, trigger: 'scheduled' as const })),
				chunk.map((id) => ({ id, added: 1, lastAttemptAt: now, lastStatus: 200, status: 'delivered' as const, scheduled: true, nextAttemptAt: null, finishedAt: now })),
			);
		}
		return ((this.cpuMs() - before) * 1000) / ids.length;
	}

	async clear(): Promise<void> {
		await this.dataSource.query('DELETE FROM "webhook_delivery" WHERE "queuePrefix" = $1', [QUEUE_PREFIX]);
	}
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round1 = (value: number) => Math.round(value * 10) / 10;

export async function benchStatements(): Promise<StatementFigures> {
	// Creates the database and runs the migrations, once.
	await (await openBenchDatabase()).destroy();
	const sides = { prepared: await Side.open(true), unnamed: await Side.open(false) };
	const samples = new Map<string, { prepared: number[]; unnamed: number[] }>(CASES.map((c) => [c.name, { prepared: [], unnamed: [] }]));
	try {
		for (const side of Object.values(sides)) await side.clear();
		for (let round = -1; round < ROUNDS; round++) {
			// Round -1 warms both connections (their statements prepared, caches filled) and is not counted.
			const order = round % 2 === 0 ? (['prepared', 'unnamed'] as const) : (['unnamed', 'prepared'] as const);
			for (const name of order) {
				const side = sides[name];
				for (const [insertCase, attemptCase] of [[CASES[0], CASES[2]], [CASES[1], CASES[3]]] as const) {
					const { ids, micros } = await side.insert(insertCase.perStatement);
					const attemptMicros = await side.attempts(ids, attemptCase.perStatement);
					if (round >= 0) {
						samples.get(insertCase.name)![name].push(micros);
						samples.get(attemptCase.name)![name].push(attemptMicros);
					}
					await side.clear();
				}
			}
		}
	} finally {
		for (const side of Object.values(sides)) await side.dataSource.destroy();
	}
	const figures: StatementFigures = {
		rows: ROWS,
		rounds: ROUNDS,
		cases: CASES.map((c) => {
			const { prepared, unnamed } = samples.get(c.name)!;
			const [p, u] = [median(prepared), median(unnamed)];
			return { name: c.name, perStatement: c.perStatement, preparedMicrosPerRow: round1(p), unnamedMicrosPerRow: round1(u), ratio: Math.round((p / u) * 100) / 100 };
		}),
	};
	console.log(`PostgreSQL's backend CPU per row, ${ROWS} rows a case, median of ${ROUNDS} rounds (prepared / unnamed):`);
	for (const c of figures.cases) console.log(`  ${c.name.padEnd(42)} ${String(c.preparedMicrosPerRow).padStart(7)} µs / ${String(c.unnamedMicrosPerRow).padStart(7)} µs = ${c.ratio}`);
	await mkdir(new URL('./results/', import.meta.url), { recursive: true });
	await writeFile(new URL('./results/statements.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
	return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchStatements();
	process.exit(0);
}
