import dns from 'node:dns';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { checkAddress } from './address-guard.js';
import type { AllowedNetwork } from '../../config/allowed-networks.js';
import { BlockedAddressError } from './address-guard-error.js';

/** The guard's verdict as the error a connection fails with, or null when the address may be reached. */
function refusal(address: string, port: number, allowlist: readonly AllowedNetwork[]): BlockedAddressError | null {
	const verdict = checkAddress(address, port, allowlist);
	return verdict.allowed ? null : new BlockedAddressError(address, port, verdict.addressClass, verdict.reason);
}

/**
 * Refuses a literal IP host before any packet is sent: the socket's own lookup is skipped for
 * literals, and a blocked private address must not even see a SYN. Host names return null: the lookup checks those.
 */
export function refuseBlockedLiteral(host: string, port: number, allowlist: readonly AllowedNetwork[]): BlockedAddressError | null {
	const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
	return isIP(unbracketed) === 0 ? null : refusal(unbracketed, port, allowlist);
}

/**
 * A DNS lookup that drops every resolved address the guard blocks, before connecting (as Svix's
 * resolver does): a name with only blocked addresses fails with the first one's BlockedAddressError; one with public
 * addresses too connects to those only. Every dual-stack candidate passes through here.
 */
export function guardedLookup(port: number, allowlist: readonly AllowedNetwork[]): LookupFunction {
	return (hostname, options, callback) => {
		dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
			if (error) {
				callback(error, options.all ? [] : '');
				return;
			}
			let firstRefusal: BlockedAddressError | null = null;
			const allowed = addresses.filter(({ address }) => {
				const refused = refusal(address, port, allowlist);
				firstRefusal ??= refused;
				return refused === null;
			});
			const first = allowed[0];
			if (first === undefined) {
				const notFound = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
				callback(firstRefusal ?? notFound, options.all ? [] : '');
				return;
			}
			if (options.all) callback(null, allowed);
			else callback(null, first.address, first.family);
		});
	};
}

/**
 * Checks the address a socket actually connected to, first thing on 'connect' (Misskey's check): whatever
 * resolved the name (or rebound it since), a blocked peer gets the socket destroyed before a byte of the request is sent.
 */
export function guardSocketOnConnect(socket: Socket, allowlist: readonly AllowedNetwork[]): void {
	socket.prependOnceListener('connect', () => {
		// A socket without a remote address (a Unix socket) is refused as `invalid`: only IP peers can be judged.
		const refused = refusal(socket.remoteAddress ?? 'unknown', socket.remotePort ?? 0, allowlist);
		if (refused) socket.destroy(refused);
	});
}
