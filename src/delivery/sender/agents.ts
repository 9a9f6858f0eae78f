import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { NormalizedOptions } from '../../config/options.js';
import type { AllowedNetwork } from '../../config/allowed-networks.js';
import { guardedLookup, guardSocketOnConnect, refuseBlockedLiteral } from '../guard/address-guard-connection.js';

/** The connection pools every delivery of this process goes through. */
export interface DeliveryAgents {
	http: http.Agent;
	https: https.Agent;
}

type CreateConnection = (options: http.ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void) => Duplex | null | undefined;

/**
 * Opens one guarded connection: a blocked literal host fails before connecting, a host name is
 * resolved through the guarded lookup, and the connected peer is checked again on 'connect', which covers DNS
 * rebinding, numeric host forms and every dual-stack candidate. A refusal fails the request with a BlockedAddressError.
 */
function openGuarded(
	create: CreateConnection,
	options: http.ClientRequestArgs,
	callback: ((error: Error | null, stream: Duplex) => void) | undefined,
	allowlist: readonly AllowedNetwork[],
	defaultPort: number,
): Duplex | null | undefined {
	const port = Number(options.port) || defaultPort;
	const refused = refuseBlockedLiteral(options.host ?? options.hostname ?? '', port, allowlist);
	if (refused) {
		// The agent hands a callback error to the request, which fails with it; no socket is created.
		callback?.(refused, undefined as unknown as Duplex);
		return undefined;
	}
	const socket = create({ ...options, lookup: guardedLookup(port, allowlist) }, callback);
	if (socket) guardSocketOnConnect(socket as Socket, allowlist);
	return socket;
}

/** A keep-alive HTTP agent whose every new connection goes through the address guard. */
class GuardedHttpAgent extends http.Agent {
	constructor(private readonly allowlist: readonly AllowedNetwork[]) {
		super({ keepAlive: true });
	}

	override createConnection(options: http.ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
		return openGuarded((o, cb) => super.createConnection(o, cb), options, callback, this.allowlist, 80);
	}
}

/** A keep-alive HTTPS agent whose every new connection goes through the address guard. */
class GuardedHttpsAgent extends https.Agent {
	constructor(private readonly allowlist: readonly AllowedNetwork[]) {
		super({ keepAlive: true });
	}

	override createConnection(options: https.RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
		return openGuarded((o, cb) => super.createConnection(o, cb), options, callback, this.allowlist, 443);
	}
}

/**
 * Keep-alive agents shared by all deliveries, so connections to a receiver are reused, and the one place
 * deliveries get their sockets: the address guard is on in every environment, lifted only for
 * `allowedPrivateNetworks`.
 */
export function createDeliveryAgents(options: Pick<NormalizedOptions, 'allowedNetworks'>): DeliveryAgents {
	return {
		http: new GuardedHttpAgent(options.allowedNetworks),
		https: new GuardedHttpsAgent(options.allowedNetworks),
	};
}

/** Closes every pooled connection, so the process can exit. */
export function destroyDeliveryAgents(agents: DeliveryAgents): void {
	agents.http.destroy();
	agents.https.destroy();
}
