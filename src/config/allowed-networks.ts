import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * One parsed `allowedPrivateNetworks` entry: a network deliveries may reach although the guard would block it,
 * on every port, or on one port only.
 */
export interface AllowedNetwork {
	/** The entry as the operator wrote it, for messages. */
	readonly text: string;
	readonly network: ipaddr.IPv4 | ipaddr.IPv6;
	readonly prefixLength: number;
	/** null: every port. */
	readonly port: number | null;
}

/** A parsed entry, or why it is not one. */
export type AllowedNetworkParse = { ok: true; network: AllowedNetwork } | { ok: false; problem: string };

/** Every entry parsed, or every problem found, so an operator fixes them in one go. */
export type AllowedNetworksParse = { ok: true; networks: AllowedNetwork[] } | { ok: false; problems: string[] };

/** The syntax, as every problem message repeats it. */
export const ALLOWED_NETWORK_SYNTAX = 'a CIDR such as 10.0.0.0/8 or fd00::/8, optionally with a port: 10.0.0.0/8:8080 or [fd00::]/8:8080';

// IPv4 `a.b.c.d/n[:port]`; IPv6 `x::y/n`, or `[x::y]/n[:port]`: brackets keep the port apart from the address's own colons.
const ipv4Pattern = /^(?<address>[0-9.]+)\/(?<bits>\d+)(?::(?<port>\d+))?$/;
const bracketedPattern = /^\[(?<address>[0-9a-fA-F:.]+)\]\/(?<bits>\d+)(?::(?<port>\d+))?$/;
const bareIpv6Pattern = /^(?<address>[0-9a-fA-F:.]+)\/(?<bits>\d+)$/;
const bareIpv6WithPortPattern = /^(?<address>[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)\/(?<bits>\d+):(?<port>\d+)$/;

function problem(entry: string, why: string): AllowedNetworkParse {
	return { ok: false, problem: `"${entry}" ${why}; write ${ALLOWED_NETWORK_SYNTAX}` };
}

/** Parses one `allowedPrivateNetworks` entry (syntax: {@link ALLOWED_NETWORK_SYNTAX}); surrounding spaces are ignored. */
export function parseAllowedNetwork(entry: string): AllowedNetworkParse {
	const text = entry.trim();
	const bareWithPort = bareIpv6WithPortPattern.exec(text);
	if (bareWithPort?.groups && isIPv6(bareWithPort.groups.address!)) {
		return problem(entry, `needs brackets around an IPv6 network with a port, as [${bareWithPort.groups.address}]/${bareWithPort.groups.bits}:${bareWithPort.groups.port}`);
	}
	const v4 = ipv4Pattern.exec(text);
	const bracketed = bracketedPattern.exec(text);
	const bare = bareIpv6Pattern.exec(text);
	const match = v4 ?? bracketed ?? bare;
	if (!match?.groups) return problem(entry, 'is not a network');
	const { address, bits, port } = match.groups as { address: string; bits: string; port?: string };
	const isV4 = match === v4;
	if (isV4 ? !isIPv4(address) : !isIPv6(address)) return problem(entry, `has no valid IPv${isV4 ? 4 : 6} address`);
	const prefixLength = Number(bits);
	const maxBits = isV4 ? 32 : 128;
	if (!Number.isInteger(prefixLength) || prefixLength > maxBits) return problem(entry, `has a prefix length above ${maxBits}`);
	let portNumber: number | null = null;
	if (port !== undefined) {
		portNumber = Number(port);
		if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) return problem(entry, 'has a port outside 1–65535');
	}
	return { ok: true, network: { text, network: ipaddr.parse(address), prefixLength, port: portNumber } };
}

/** Parses every `allowedPrivateNetworks` entry, collecting every problem. */
export function parseAllowedNetworks(entries: readonly string[]): AllowedNetworksParse {
	const networks: AllowedNetwork[] = [];
	const problems: string[] = [];
	for (const entry of entries) {
		const parsed = parseAllowedNetwork(entry);
		if (parsed.ok) networks.push(parsed.network);
		else problems.push(parsed.problem);
	}
	return problems.length > 0 ? { ok: false, problems } : { ok: true, networks };
}
