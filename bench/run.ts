import { mkdir, writeFile } from 'node:fs/promises';
import { benchRegistry } from './registry.js';
import { benchDelivery } from './delivery.js';
import { benchOutbox } from './outbox.js';
import { benchFairness } from './fairness.js';

// Every figure is a ratio against a baseline measured in the same run: the machine is shared and noisy.
// `npm run bench` runs them all; `npm run bench -- fairness delivery` runs only those named.
const benches = { registry: benchRegistry, delivery: benchDelivery, outbox: benchOutbox, fairness: benchFairness };
type BenchName = keyof typeof benches;
const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in benches));
if (unknown.length > 0) {
	console.error(`unknown bench: ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
	process.exit(2);
}
const chosen = (named.length > 0 ? named : Object.keys(benches)) as BenchName[];
const results: Record<string, unknown> = {};
for (const name of chosen) results[name] = await benches[name]();
results.measuredAt = new Date().toISOString();
results.node = process.version;
if (named.length === 0) {
	await mkdir(new URL('./results/', import.meta.url), { recursive: true });
	await writeFile(new URL('./results/all.json', import.meta.url), JSON.stringify(results, null, '\t') + '\n');
}
console.log(JSON.stringify(results, null, 2));
process.exit(0);
