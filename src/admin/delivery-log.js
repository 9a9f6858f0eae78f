// The delivery log of one webhook, opened from either list: what its owner sees on the user page (deliveries, attempts,
// what the receiver answered, the charts), read over the moderators' endpoints. A system webhook's log can also
// redeliver and recover; a user webhook's is read-only here, since redelivering is its owner's call.

import { byId } from './dom.js';
import { createDeliveriesPanel } from './deliveries.js';

/** @type {Record<'user' | 'system', import('./deliveries.js').DeliveryEndpoints>} */
const ENDPOINTS = {
	user: {
		list: 'admin/webhooks/deliveries/list',
		show: 'admin/webhooks/deliveries/show',
		stats: 'admin/webhooks/deliveries/stats',
	},
	system: {
		list: 'admin/system-webhook/deliveries/list',
		show: 'admin/system-webhook/deliveries/show',
		stats: 'admin/system-webhook/deliveries/stats',
		redeliver: 'admin/system-webhook/deliveries/redeliver',
		recover: 'admin/system-webhook/deliveries/recover',
	},
};

/**
 * @param {{ call: import('./api-client.js').ApiCall, report: import('./api-client.js').PageReport }} deps
 */
export function createDeliveryLog({ call, report }) {
	const section = byId('delivery-log');
	const title = byId('delivery-log-title');
	const body = byId('delivery-log-body');
	/** @type {HTMLElement | null} The button that opened the log: focus goes back to it on close. */
	let opener = null;

	function close() {
		section.hidden = true;
		body.replaceChildren();
		opener?.focus();
		opener = null;
	}
	byId('close-delivery-log').addEventListener('click', close);

	return {
		/**
		 * Shows a webhook's log in place of the last one.
		 * @param {{ id: string, name: string }} webhook
		 * @param {'user' | 'system'} kind
		 * @param {HTMLElement} from
		 */
		async open(webhook, kind, from) {
			opener = from;
			const panel = createDeliveriesPanel({ call, report, webhook, endpoints: ENDPOINTS[kind] });
			panel.element.hidden = false;
			title.textContent = kind === 'user' ? 'User webhook delivery log' : 'System webhook delivery log';
			body.replaceChildren(panel.element);
			section.hidden = false;
			title.focus();
			await panel.load();
		},
		close,
	};
}
