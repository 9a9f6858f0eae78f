import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { AllowedNetwork } from '../../config/allowed-networks.js';

/**
 * Whether `ip`:`port` lies in the allowed network. Address families never mix: `::ffff:127.0.0.1` is not in
 * 127.0.0.0/8, so an IPv4-mapped address needs an IPv6 entry of its own.
 */
export function allowedNetworkMatches(allowed: AllowedNetwork, ip: string, port: number): boolean {
	if (allowed.port !== null && allowed.port !== port) return false;
	if (isIP(ip) === 0) return false;
	const address = ipaddr.parse(ip);
	return address.kind() === allowed.network.kind() && address.match(allowed.network, allowed.prefixLength);
}
