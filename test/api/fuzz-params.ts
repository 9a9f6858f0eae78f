import type { ParamSchema } from '../../src/api/params/params-schema.js';

/** A small seeded generator (mulberry32), so a failing fuzz case reproduces from its seed. */
export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(maxExclusive: number): number {
		return Math.floor(this.next() * maxExclusive);
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)]!;
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}
}

/** Real values the fuzz can put where an id or URL is expected, so requests reach past validation into the handlers. */
export interface FuzzFixtures {
	userWebhookId: string;
	systemWebhookId: string;
	userDeliveryId: string;
	systemDeliveryId: string;
	userId: string;
	receiverUrl: string;
}

function deepObject(depth: number): unknown {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = { a: value };
	return value;
}

function deepArray(depth: number): unknown {
	let value: unknown = [];
	for (let i = 0; i < depth; i++) value = [value];
	return value;
}

/** Values no param should accept, or that probe a limit: each must end in a 4xx, never a 5xx. */
export function hostileValue(random: SeededRandom): unknown {
	switch (random.int(30)) {
		case 0: return null;
		case 1: return random.chance(0.5);
		case 2: return -1;
		case 3: return 1e308;
		case 4: return -1e308;
		case 5: return 2 ** 64;
		case 6: return '';
		case 7: return 'x'.repeat(100_000 + random.int(1000));
		case 8: return '\u0000';
		case 9: return `a${'\u0000'.repeat(1 + random.int(3))}b`;
		case 10: return '\ud800';
		case 11: return `x\udc00y`;
		case 12: return deepObject(50 + random.int(500));
		case 13: return deepArray(50 + random.int(500));
		case 14: return {};
		case 15: return [];
		case 16: return Array.from({ length: 1000 + random.int(60_000) }, () => 'note');
		case 17: return 'line\r\nInjected: yes';
		case 18: return 'A'.repeat(1025);
		case 19: return 'A'.repeat(1024);
		case 20: return 0.5;
		case 21: return Number.MAX_SAFE_INTEGER;
		case 22: return '9'.repeat(40);
		case 23: return 'http://127.0.0.1:1/\u0000';
		case 24: return '1970-01-01T00:00:00Z';
		case 25: return '💥'.repeat(600);
		case 26: return [null, 1, 'a', {}];
		case 27: return { url: 'x'.repeat(5000), secret: '\r\n' };
		case 28: return -Number.MAX_SAFE_INTEGER;
		default: return '\u0001\u001f\u007f\u0080\u00ff\u0100';
	}
}

const hostileStrings: readonly string[] = [
	'\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udbff\udfff\ud800', 'line\r\nInjected: yes', '\n', ' leading', 'trailing\t',
	'A'.repeat(1025), 'A'.repeat(4097), '€uro', '\u0001\u001f\u007f', '',
];

/** Half the time a string meant to break a string param (NUL, surrogates, CR/LF, lengths), else any hostile value. */
export function hostileValueFor(schema: ParamSchema | undefined, random: SeededRandom): unknown {
	const isString = schema !== undefined && (('type' in schema && schema.type === 'string') || 'anyOf' in schema);
	return isString && random.chance(0.5) ? random.pick(hostileStrings) : hostileValue(random);
}

/** A value the schema accepts, as near to valid as the fixtures allow. */
export function validValue(name: string, schema: ParamSchema, fixtures: FuzzFixtures, endpointName: string, random: SeededRandom): unknown {
	if ('anyOf' in schema) return validValue(name, schema.anyOf[0]!, fixtures, endpointName, random);
	switch (schema.type) {
		case 'string':
			if (schema.enum) return random.pick(schema.enum);
			if (name === 'url') return fixtures.receiverUrl;
			if (name === 'deliveryId') return endpointName.startsWith('admin/') ? fixtures.systemDeliveryId : fixtures.userDeliveryId;
			if (name === 'webhookId' || name === 'id') return endpointName.startsWith('admin/system-webhook') ? fixtures.systemWebhookId : fixtures.userWebhookId;
			if (name === 'userId') return fixtures.userId;
			if (schema.format === 'misskey:id') return 'a1b2c3d4e5';
			return `fuzz ${name}`;
		case 'boolean': return random.chance(0.5);
		case 'integer':
		case 'number': return name === 'since' ? Date.now() - 60_000 : (schema.minimum ?? 1);
		case 'array': return [validValue(name, schema.items, fixtures, endpointName, random)];
		case 'object': {
			const value: Record<string, unknown> = {};
			for (const [key, property] of Object.entries(schema.properties)) value[key] = validValue(key, property, fixtures, endpointName, random);
			return value;
		}
	}
}
