import { mkdir, writeFile } from 'node:fs/promises';
import { benchRegistry } from './registry.js';
import { benchDelivery } from './delivery.js';
import { benchOutbox } from './outbox.js';

// Every figure is a ratio against a baseline measured in the same run: the machine is shared and noisy.
const results = {
	registry: await benchRegistry(),
	delivery: await benchDelivery(),
	outbox: await benchOutbox(),
	measuredAt: new Date().toISOString(),
	node: process.version,
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/all.json', import.meta.url), JSON.stringify(results, null, '\t') + '\n');
console.log(JSON.stringify(results, null, 2));
process.exit(0);
