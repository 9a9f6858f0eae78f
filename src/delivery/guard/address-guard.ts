import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { type AllowedNetwork } from '../../config/allowed-networks.js';
import { allowedNetworkMatches } from './address-guard-allowlist.js';

/** Why an address may not be delivered to; `invalid` is an address that does not parse. */
export const blockedAddressClasses = [
	'unspecified',
	'loopback',
	'private',
	'unique-local',
	'link-local',
	'cgnat',
	'multicast',
	'broadcast',
	'reserved',
	'ipv4-mapped',
	'nat64',
	'6to4',
	'teredo',
	'invalid',
] as const;

/** One reason an address is refused. */
export type BlockedAddressClass = (typeof blockedAddressClasses)[number];

/** What the guard makes of one address: `public` unicast, or the class it is blocked as. */
export type AddressClass = 'public' | BlockedAddressClass;

/** The verdict on one connection target. */
export type AddressCheck = { allowed: true } | { allowed: false; addressClass: BlockedAddressClass; reason: string };

type Range = readonly [BlockedAddressClass, ipaddr.IPv4 | ipaddr.IPv6, number];

function ranges(table: ReadonlyArray<readonly [BlockedAddressClass, readonly string[]]>): Range[] {
	return table.flatMap(([addressClass, cidrs]) => cidrs.map((cidr): Range => {
		const [network, bits] = ipaddr.parseCIDR(cidr);
		return [addressClass, network, bits];
	}));
}

// First match wins, so narrower ranges come before the wider ones that contain them (255.255.255.255 in 240.0.0.0/4).
const ipv4Ranges = ranges([
	['unspecified', ['0.0.0.0/8']],
	['loopback', ['127.0.0.0/8']],
	['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
	['link-local', ['169.254.0.0/16']],
	['cgnat', ['100.64.0.0/10']],
	['broadcast', ['255.255.255.255/32']],
	['multicast', ['224.0.0.0/4']],
	['reserved', ['192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4']],
]);

// Embedded-IPv4 forms are blocked outright, whatever IPv4 they carry: unwrapping invites mistakes and no receiver needs them.
const ipv6Ranges = ranges([
	['unspecified', ['::/128']],
	['loopback', ['::1/128']],
	// ::ffff:0:0:0/96 is RFC 6145's IPv4-translated form, the same trick one group further left.
	['ipv4-mapped', ['::ffff:0:0/96', '::ffff:0:0:0/96']],
	['nat64', ['64:ff9b::/96', '64:ff9b:1::/48']],
	['teredo', ['2001::/32']],
	['6to4', ['2002::/16']],
	// 2001::/23 holds IETF protocol assignments (benchmarking, ORCHID, ...); 3fff::/20 is documentation (RFC 9637);
	// ::/96 is the deprecated IPv4-compatible form.
	['reserved', ['2001:db8::/32', '2001::/23', '3fff::/20', '100::/64', 'fec0::/10', '::/96']],
	['unique-local', ['fc00::/7']],
	['link-local', ['fe80::/10']],
	['multicast', ['ff00::/8']],
]);

// Only 2000::/3 is allocated as global unicast: anything else cannot be a legitimate receiver.
const [globalUnicast, globalUnicastBits] = ipaddr.parseCIDR('2000::/3');

/**
 * Classifies one IP address as the guard's table of address classes lists it (docs/address-guard.md): `public` unicast, or the class it is blocked as.
 * Accepts only the canonical textual forms a socket reports (`127.0.0.1`, `::1`, `fe80::1%eth0`); anything else is `invalid`.
 */
export function classifyAddress(ip: string): AddressClass {
	if (isIP(ip) === 0) return 'invalid';
	const address = ipaddr.parse(ip);
	const table = address.kind() === 'ipv4' ? ipv4Ranges : ipv6Ranges;
	for (const [addressClass, network, bits] of table) {
		if (network.kind() === address.kind() && address.match(network, bits)) return addressClass;
	}
	if (address.kind() === 'ipv6' && !address.match(globalUnicast, globalUnicastBits)) return 'reserved';
	return 'public';
}

/**
 * Whether a delivery may connect to `ip`:`port`: public unicast always, anything else only
 * inside an `allowedPrivateNetworks` entry (whose port, when it names one, must be `port`).
 */
export function checkAddress(ip: string, port: number, allowlist: readonly AllowedNetwork[]): AddressCheck {
	const addressClass = classifyAddress(ip);
	if (addressClass === 'public') return { allowed: true };
	if (addressClass !== 'invalid' && allowlist.some((network) => allowedNetworkMatches(network, ip, port))) return { allowed: true };
	return { allowed: false, addressClass, reason: `Blocked address: ${ip} (${addressClass})` };
}
