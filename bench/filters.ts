import { webhooksPassingFilters, type FilteredWebhook } from '../src/events/content-filter.js';
import { dummyPackedNote } from '../src/api/packing/dummies.js';
import type { WebhookFilter } from '../src/generated/webhook-filter.js';

// A note event body as the planner filters it, and filters of the shape users write: a few conditions each.
const EVENTS = 200_000;
const ROUNDS = 5;

function typicalFilter(n: number): WebhookFilter {
	return {
		all: [
			{ visibility: ['public', 'home'] },
			{ not: { isRenote: true } },
			{ any: [{ hashtag: [`tag${n}`, 'misskey'], path: 'note.text' }, { path: 'note.user.username', in: [`user${n}`, 'alice'] }, { hasFiles: true }] },
		],
	} as WebhookFilter;
}

export interface FilterBenchFigures {
	events: number;
	/** Each case's cost per event, ns: the median of its rounds. */
	noneNsPerEvent: number;
	oneFilterNsPerEvent: number;
	tenFiltersNsPerEvent: number;
	/** The baseline, same run: serializing the body once, as every delivery of the event does for its envelope. */
	serializeBodyNsPerEvent: number;
	/** The filters' cost per event over that baseline. */
	oneFilterOverSerializing: number;
	tenFiltersOverSerializing: number;
}

/**
 * What content filters add to one event's planning: the matched webhooks' filters run on the packed body. Three cases in
 * the same run, rounds interleaved: one webhook without a filter (the common case, which allocates nothing), one with a
 * filter, and ten matched webhooks with a filter each.
 */
export async function benchFilters(): Promise<FilterBenchFigures> {
	const body = { note: { ...dummyPackedNote('dummyNote1'), text: 'hello #misskey from the bench' } };
	const cases: Record<'none' | 'one' | 'ten', FilteredWebhook[]> = {
		none: [{ filter: null }],
		one: [{ filter: typicalFilter(0) }],
		ten: Array.from({ length: 10 }, (_, n) => ({ filter: typicalFilter(n) })),
	};
	const times: Record<keyof typeof cases | 'serialize', number[]> = { none: [], one: [], ten: [], serialize: [] };
	let sink = 0;
	const run = (webhooks: FilteredWebhook[]) => {
		const startedAt = process.hrtime.bigint();
		for (let event = 0; event < EVENTS; event++) sink += webhooksPassingFilters(webhooks, body).passing.length;
		return Number(process.hrtime.bigint() - startedAt) / EVENTS;
	};
	const serialize = () => {
		const startedAt = process.hrtime.bigint();
		for (let event = 0; event < EVENTS / 10; event++) sink += JSON.stringify(body).length;
		return Number(process.hrtime.bigint() - startedAt) / (EVENTS / 10);
	};
	for (const webhooks of Object.values(cases)) run(webhooks);
	serialize();
	for (let round = 0; round < ROUNDS; round++) {
		for (const name of ['none', 'one', 'ten'] as const) times[name].push(run(cases[name]));
		times.serialize.push(serialize());
	}
	if (sink === 0) throw new Error('no webhook ever passed');
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
	const none = median(times.none);
	const one = median(times.one);
	const ten = median(times.ten);
	const serialized = median(times.serialize);
	return {
		events: EVENTS,
		noneNsPerEvent: round2(none),
		oneFilterNsPerEvent: round2(one),
		tenFiltersNsPerEvent: round2(ten),
		serializeBodyNsPerEvent: round2(serialized),
		oneFilterOverSerializing: round2(one / serialized),
		tenFiltersOverSerializing: round2(ten / serialized),
	};
}

const round2 = (value: number) => Math.round(value * 100) / 100;
