import http from 'node:http';
import https from 'node:https';
import type { NormalizedOptions } from '../config.js';

/** The connection pools every delivery of this process goes through. */
export interface DeliveryAgents {
	http: http.Agent;
	https: https.Agent;
}

/**
 * Keep-alive agents shared by all deliveries, so connections to a receiver are reused (spec §8.2).
 * The one place deliveries get their sockets: the address guard (spec §8.4) belongs here.
 */
export function createDeliveryAgents(_options: NormalizedOptions): DeliveryAgents {
	return {
		http: new http.Agent({ keepAlive: true }),
		https: new https.Agent({ keepAlive: true }),
	};
}

/** Closes every pooled connection, so the process can exit. */
export function destroyDeliveryAgents(agents: DeliveryAgents): void {
	agents.http.destroy();
	agents.https.destroy();
}
