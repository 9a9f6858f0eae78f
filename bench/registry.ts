import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { WebhookIndex } from '../src/registry/webhook-index.js';
import { WebhookEntity } from '../src/store/webhook.entity.js';
import { userWebhookEventTypes, type UserWebhookEventType } from '../src/events/catalogue.js';

const WEBHOOK_COUNT = 100_000;
const OWNER_COUNT = 20_000;
const EVENT_COUNT = 2_000;
// The index is too fast to time over a few thousand lookups, so it replays the same sequence this many times.
const INDEXED_ROUNDS = 500;
const SEED = 20250908;

export interface RegistryBenchFigures {
	webhooks: number;
	owners: number;
	events: number;
	indexedRounds: number;
	matchesPerRound: number;
	indexedNsPerLookup: number;
	linearScanNsPerLookup: number;
	/** How many times slower Misskey's linear scan is than the index, same events, same run. */
	linearScanOverIndexed: number;
}

interface LookupEvent {
	ownerId: string;
	type: UserWebhookEventType;
}

/** Per-event lookup cost of the registry index beside Misskey's filter over every active webhook, on one random event sequence. */
export async function benchRegistry(): Promise<RegistryBenchFigures> {
	const random = seededRandom(SEED);
	const rows = buildActiveWebhooks(random);
	const events = buildEvents(random);
	const index = new WebhookIndex(rows);

	const matchLinear = (event: LookupEvent) => rows.filter((row) => row.userId === event.ownerId && row.on.includes(event.type));
	const matchIndexed = (event: LookupEvent) => index.match(event.ownerId, event.type);

	const linearMatches = countMatches(events, matchLinear);
	const indexedMatches = countMatches(events, matchIndexed);
	if (linearMatches !== indexedMatches) throw new Error(`index found ${indexedMatches} matches, the linear scan ${linearMatches}`);

	const linearNs = timeNs(() => countMatches(events, matchLinear));
	const indexedNs = timeNs(() => {
		let matches = 0;
		for (let round = 0; round < INDEXED_ROUNDS; round++) matches += countMatches(events, matchIndexed);
		return matches;
	});

	const indexedNsPerLookup = indexedNs / (EVENT_COUNT * INDEXED_ROUNDS);
	const linearScanNsPerLookup = linearNs / EVENT_COUNT;
	const figures: RegistryBenchFigures = {
		webhooks: WEBHOOK_COUNT,
		owners: OWNER_COUNT,
		events: EVENT_COUNT,
		indexedRounds: INDEXED_ROUNDS,
		matchesPerRound: indexedMatches,
		indexedNsPerLookup: round2(indexedNsPerLookup),
		linearScanNsPerLookup: round2(linearScanNsPerLookup),
		linearScanOverIndexed: round2(linearScanNsPerLookup / indexedNsPerLookup),
	};
	await mkdir(new URL('./results/', import.meta.url), { recursive: true });
	await writeFile(new URL('./results/registry.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
	return figures;
}

// Every owner gets the same number of webhooks; each webhook subscribes to a random non-empty set of event types.
// Rows carry every column, as the store reads them (the other columns at their defaults).
function buildActiveWebhooks(random: () => number): WebhookEntity[] {
	const rows: WebhookEntity[] = [];
	for (let i = 0; i < WEBHOOK_COUNT; i++) {
		const on = userWebhookEventTypes.filter(() => random() < 0.3);
		if (on.length === 0) on.push(pick(userWebhookEventTypes, random));
		rows.push(Object.assign(new WebhookEntity(), {
			id: `w${i.toString(36)}`,
			userId: ownerId(i % OWNER_COUNT),
			name: `hook ${i}`,
			on,
			url: `https://receiver${i % 97}.example/hook`,
			secret: '',
			active: true,
			latestSentAt: null,
			latestStatus: null,
			pausedBy: null,
			pausedReason: null,
			pausedAt: null,
			pausedByUserId: null,
			excludeSpecifiedNotes: false,
			excludeFollowersNotes: false,
			retryPolicy: 'standard',
			sendSecretHeader: true,
			previousSecret: null,
			previousSecretExpiresAt: null,
			failingSince: null,
		}));
	}
	return rows;
}

function buildEvents(random: () => number): LookupEvent[] {
	return Array.from({ length: EVENT_COUNT }, () => ({
		ownerId: ownerId(Math.floor(random() * OWNER_COUNT)),
		type: pick(userWebhookEventTypes, random),
	}));
}

function countMatches(events: readonly LookupEvent[], match: (event: LookupEvent) => readonly WebhookEntity[]): number {
	let matches = 0;
	for (const event of events) matches += match(event).length;
	return matches;
}

function timeNs(work: () => number): number {
	const startedAt = process.hrtime.bigint();
	work();
	return Number(process.hrtime.bigint() - startedAt);
}

const ownerId = (n: number) => `owner${n.toString(36)}`;
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];
const round2 = (value: number) => Math.round(value * 100) / 100;

// mulberry32: a small deterministic generator, so every run measures the same webhooks and events.
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const figures = await benchRegistry();
	console.log(`registry lookup, ${figures.webhooks} active webhooks over ${figures.owners} owners, ${figures.events} events:`);
	console.log(`  index:       ${figures.indexedNsPerLookup} ns/lookup`);
	console.log(`  linear scan: ${figures.linearScanNsPerLookup} ns/lookup`);
	console.log(`  ratio:       ${figures.linearScanOverIndexed}x`);
}
