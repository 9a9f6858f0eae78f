import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// Sums a V8 CPU profile (from `BENCH_E2E_PROFILE=module npm run bench -- e2e`, or `node --cpu-prof`) by where the
// time was spent: the module's own code, got and Node's HTTP client, Bull and ioredis, pg and TypeORM, garbage
// collection, ... per delivery when told how many were made, then the module's busiest functions.
// `npx tsx bench/profile-summary.ts [file.cpuprofile] [deliveries]`; without a file, the newest *.cpuprofile here.
// Profiles of Misskey's processes (bench/misskey.ts, MISSKEY_BENCH_PROFILE) sort the same way, with Misskey's own code
// (packages/backend/built) a place of its own and the module found as the package Misskey installed.

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Where a function's time counts, by the package or Node module it comes from; the first match wins. */
const PLACES: ReadonlyArray<[string, (frame: ProfileNode['callFrame']) => boolean]> = [
	['garbage collection', (frame) => frame.functionName === '(garbage collector)'],
	['idle', (frame) => frame.functionName === '(idle)'],
	['socket writes (native)', (frame) => frame.url === '' && /^(writeBuffer|writev|writeUtf8String|writeLatin1String|utf8Write)$/.test(frame.functionName)],
	['the module', (frame) => /\/(src|dist\/src)\//.test(frame.url) && (!frame.url.includes('node_modules') || frame.url.includes('/node_modules/misskey-webhooks/'))],
	['Misskey', (frame) => frame.url.includes('/packages/backend/built/')],
	['got, Node HTTP, streams, events', (frame) => /node_modules\/(got|node-fetch|lowercase-keys|p-cancelable|@sindresorhus|cacheable-|responselike|http2-wrapper|@szmarczak|get-stream|form-data-encoder)/.test(frame.url) || /^node:(_http|http|net|events|buffer|internal\/(streams|stream_base|url|buffer))/.test(frame.url)],
	['Bull, BullMQ, ioredis', (frame) => /node_modules\/(bull|bullmq|ioredis|lodash|cron-parser|msgpackr|redis-errors|redis-parser|denque|cluster-key-slot|standard-as-callback|uuid)\//.test(frame.url)],
	['Fastify', (frame) => /node_modules\/(fastify|@fastify|avvio|find-my-way|fast-json-stringify|light-my-request)\//.test(frame.url)],
	['pg, TypeORM', (frame) => /node_modules\/(pg|pg-[a-z-]+|typeorm|postgres-[a-z-]+)\//.test(frame.url)],
	['prom-client', (frame) => /node_modules\/(prom-client|tdigest|bintrees)\//.test(frame.url)],
	['crypto', (frame) => frame.url.startsWith('node:internal/crypto') || (frame.url === '' && /^(update|digest)$/.test(frame.functionName))],
	['benchmark driver', (frame) => frame.url.includes('/bench/')],
];

function placeOf(frame: ProfileNode['callFrame']): string {
	return PLACES.find(([, test]) => test(frame))?.[0] ?? 'everything else';
}

function newestProfile(): string {
	const files = readdirSync('.').filter((name) => name.endsWith('.cpuprofile'));
	if (files.length === 0) throw new Error('no .cpuprofile in this directory: run node --cpu-prof first, or name the file');
	return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

const file = process.argv[2] ?? newestProfile();
const deliveries = Number(process.argv[3] ?? 0);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

const byPlace = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
	const us = selfUs.get(node.id);
	if (!us) continue;
	const place = placeOf(node.callFrame);
	byPlace.set(place, (byPlace.get(place) ?? 0) + us);
	if (place === 'the module') {
		const name = `${node.callFrame.functionName || '(anonymous)'} ${path.relative(process.cwd(), new URL(node.callFrame.url).pathname)}:${node.callFrame.lineNumber + 1}`;
		byFunction.set(name, (byFunction.get(name) ?? 0) + us);
	}
}

const busyUs = [...byPlace].filter(([place]) => place !== 'idle').reduce((sum, [, us]) => sum + us, 0);
const show = (us: number) => (deliveries > 0 ? `${(us / deliveries).toFixed(1).padStart(8)} µs/delivery` : `${(us / 1000).toFixed(0).padStart(8)} ms`);
console.log(`${file}: ${(busyUs / 1000).toFixed(0)} ms busy${deliveries > 0 ? `, ${deliveries} deliveries` : ''}`);
for (const [place, us] of [...byPlace].sort((a, b) => b[1] - a[1])) console.log(`  ${place.padEnd(34)}${show(us)}  ${((100 * us) / busyUs).toFixed(1).padStart(5)} %`);
console.log('the module\'s busiest functions:');
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${show(us)}  ${name}`);
