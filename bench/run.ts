import { mkdir, writeFile } from 'node:fs/promises';
import { benchRegistry } from './registry.js';
import { benchDelivery } from './delivery.js';
import { benchOutbox } from './outbox.js';
import { benchEndToEnd } from './end-to-end.js';
import { benchMemory } from './memory.js';
import { benchFairness } from './fairness.js';
import { benchDrain } from './drain.js';
import { benchFilters } from './filters.js';
import { benchStatements } from './statements.js';

// Every figure is a ratio against a baseline measured in the same run: the machine is shared and noisy.
// `npm run bench` runs every mode; `npm run bench -- e2e fairness` runs the ones named.
const modes = {
	registry: benchRegistry,
	delivery: benchDelivery,
	outbox: benchOutbox,
	e2e: benchEndToEnd,
	memory: benchMemory,
	fairness: benchFairness,
	drain: benchDrain,
	filters: benchFilters,
	statements: benchStatements,
} as const;

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !Object.hasOwn(modes, name));
if (unknown.length > 0) {
	console.error(`unknown benchmark mode(s): ${unknown.join(', ')}; the modes are ${Object.keys(modes).join(', ')}`);
	process.exit(2);
}
const results: Record<string, unknown> = {};
for (const name of asked.length > 0 ? asked : Object.keys(modes)) results[name] = await modes[name as keyof typeof modes]();
results.measuredAt = new Date().toISOString();
results.node = process.version;
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/all.json', import.meta.url), JSON.stringify(results, null, '\t') + '\n');
console.log(JSON.stringify(results, null, 2));
process.exit(0);
