// A small stacked bar chart of a webhook's attempts (delivered, retried, failed), drawn as inline SVG with DOM APIs,
// with its numbers in words beside it for screen readers and anyone who prefers text.

import { h } from './dom.js';
import { t } from './strings.js';

const SVG = 'http://www.w3.org/2000/svg';
const SERIES = /** @type {const} */ (['delivered', 'retried', 'failed']);
const WIDTH = 240;
const HEIGHT = 56;

/**
 * @typedef {{ start: string, delivered: number, retried: number, failed: number }} StatsBucket
 */

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @returns {SVGElement}
 */
function svg(tag, attributes) {
	const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
	for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
	return element;
}

/**
 * One chart: a caption, the bars (hidden from screen readers, which read the summary instead) and the totals.
 * @param {string} caption
 * @param {StatsBucket[]} buckets oldest first
 */
export function statsChart(caption, buckets) {
	const totals = { delivered: 0, retried: 0, failed: 0 };
	for (const bucket of buckets) for (const key of SERIES) totals[key] += bucket[key];
	const highest = Math.max(1, ...buckets.map((bucket) => bucket.delivered + bucket.retried + bucket.failed));
	const slot = WIDTH / Math.max(1, buckets.length);
	const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false', preserveAspectRatio: 'none' });
	chart.append(svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'chart-axis' }));
	buckets.forEach((bucket, index) => {
		let top = HEIGHT;
		for (const key of SERIES) {
			if (bucket[key] === 0) continue;
			const height = (bucket[key] / highest) * (HEIGHT - 2);
			top -= height;
			chart.append(svg('rect', { x: index * slot + slot * 0.15, y: top, width: slot * 0.7, height, class: `bar-${key}` }));
		}
	});
	return h('figure', { class: 'stats', 'data-total-delivered': totals.delivered, 'data-total-retried': totals.retried, 'data-total-failed': totals.failed },
		h('figcaption', { text: caption }),
		chart,
		// The legend is the text alternative: each colour beside its series' total, in words.
		h('ul', { class: 'chart-summary' },
			...SERIES.map((key) => h('li', { 'data-series': key },
				h('span', { class: `swatch swatch-${key}`, 'aria-hidden': 'true' }),
				t(`chart_${key}`, { count: totals[key] })))));
}
