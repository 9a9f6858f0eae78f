/** One sample of a Prometheus text exposition: the metric name, its labels, its value. */
export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format (comments skipped); enough for the module's metrics, whose label values never hold quotes. */
export function parsePrometheusText(text: string): Sample[] {
	const samples: Sample[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = SAMPLE_LINE.exec(line);
		if (!match) throw new Error(`not a sample line: ${line}`);
		const labels: Record<string, string> = {};
		for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
		samples.push({ name: match[1]!, labels, value: Number(match[3]) });
	}
	return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none (a counter never incremented). */
export function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
	const matching = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
	if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
	return matching[0]?.value ?? 0;
}
