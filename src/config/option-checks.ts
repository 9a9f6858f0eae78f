/**
 * One check per kind of option value: each returns the value (or the default when the option is absent) and throws a
 * `TypeError` that names the option and what it must be otherwise. `undefined` always means "not set".
 */

function describe(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
	return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function refuse(name: string, must: string, value: unknown): never {
	throw new TypeError(`${name} must be ${must}, got ${describe(value)}`);
}

/** An integer from `min` to `max` (both included). */
export function integerOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		refuse(name, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`, value);
	}
	return value;
}

/** A finite number of milliseconds from `min` to `max` (both included). */
export function durationOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		refuse(name, max === Number.MAX_SAFE_INTEGER ? `a number of ms ≥ ${min}` : `a number of ms from ${min} to ${max}`, value);
	}
	return value;
}

export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	if (typeof value !== 'boolean') refuse(name, 'true or false', value);
	return value;
}

/** A non-empty string matching `pattern`, described to the operator as `must`. */
export function stringOption(name: string, value: unknown, fallback: string, pattern: RegExp, must: string): string {
	if (value === undefined) return fallback;
	if (typeof value !== 'string' || !pattern.test(value)) refuse(name, must, value);
	return value;
}

/** One of `choices`. */
export function choiceOption<Choice extends string>(name: string, value: unknown, fallback: Choice, choices: readonly Choice[]): Choice {
	if (value === undefined) return fallback;
	if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) refuse(name, `one of ${choices.map((choice) => `'${choice}'`).join(', ')}`, value);
	return value as Choice;
}

/** A URL whose scheme is one of `protocols` (with the colon, `https:`); required. */
export function urlOption(name: string, value: unknown, protocols: readonly string[]): URL {
	const must = `a ${protocols.map((protocol) => protocol.slice(0, -1)).join(' or ')} URL`;
	if (typeof value !== 'string') refuse(name, must, value);
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		refuse(name, must, value);
	}
	if (!protocols.includes(url.protocol)) refuse(name, must, value);
	return url;
}

/** An array whose every item passes `item` (which throws for a bad one); absent: `fallback`. */
export function listOption<Item>(name: string, value: unknown, fallback: readonly Item[], check: (itemName: string, item: unknown) => Item): Item[] {
	if (value === undefined) return [...fallback];
	if (!Array.isArray(value)) refuse(name, 'an array', value);
	return value.map((item, index) => check(`${name}[${index}]`, item));
}

/** An object with every one of `methods` as a function (a logger, a metrics registry); absent: undefined. */
export function objectWithMethodsOption<Value extends object>(name: string, value: unknown, methods: readonly string[], must: string): Value | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'object' || value === null) refuse(name, must, value);
	const missing = methods.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
	if (missing.length > 0) throw new TypeError(`${name} must be ${must}; it has no ${missing.join(', ')}`);
	return value as Value;
}
