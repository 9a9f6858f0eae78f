import assert from 'node:assert/strict';
import { blockedAddressClasses, checkAddress, classifyAddress, type AddressClass } from '../../src/delivery/guard/address-guard.js';
import { parseAllowedNetwork, parseAllowedNetworks, type AllowedNetwork } from '../../src/config/allowed-networks.js';
import { normalizeOptions } from '../../src/config/options.js';

function allowlist(...entries: string[]): AllowedNetwork[] {
	const parsed = parseAllowedNetworks(entries);
	if (!parsed.ok) throw new Error(parsed.problems.join('; '));
	return parsed.networks;
}

// Every class of the guard's table (docs/address-guard.md), with the first and last address of each range where the edge matters.
const ipv4Table: Array<[string, AddressClass]> = [
	['0.0.0.0', 'unspecified'],
	['0.255.255.255', 'unspecified'],
	['127.0.0.1', 'loopback'],
	['127.255.255.254', 'loopback'],
	['10.0.0.0', 'private'],
	['10.255.255.255', 'private'],
	['172.16.0.0', 'private'],
	['172.31.255.255', 'private'],
	['192.168.0.1', 'private'],
	['192.168.255.255', 'private'],
	['169.254.0.0', 'link-local'],
	['169.254.169.254', 'link-local'],
	['169.254.255.255', 'link-local'],
	['100.64.0.0', 'cgnat'],
	['100.127.255.255', 'cgnat'],
	['192.0.0.0', 'reserved'],
	['192.0.0.255', 'reserved'],
	['192.0.2.1', 'reserved'],
	['192.88.99.1', 'reserved'],
	['198.18.0.0', 'reserved'],
	['198.19.255.255', 'reserved'],
	['198.51.100.7', 'reserved'],
	['203.0.113.255', 'reserved'],
	['240.0.0.0', 'reserved'],
	['255.255.255.254', 'reserved'],
	['224.0.0.0', 'multicast'],
	['239.255.255.255', 'multicast'],
	['255.255.255.255', 'broadcast'],
];

const ipv6Table: Array<[string, AddressClass]> = [
	['::', 'unspecified'],
	['::1', 'loopback'],
	['fc00::', 'unique-local'],
	['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique-local'],
	['fe80::', 'link-local'],
	['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local'],
	['fe80::1%eth0', 'link-local'],
	['ff00::', 'multicast'],
	['ff02::1', 'multicast'],
	['2001:db8::', 'reserved'],
	['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
	['100::', 'reserved'],
	['100::ffff:ffff:ffff:ffff', 'reserved'],
	['fec0::1', 'reserved'],
	['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
	['2001:2::1', 'reserved'],
	['3fff::1', 'reserved'],
	['::7f00:1', 'reserved'],
	['4000::1', 'reserved'],
	['::ffff:127.0.0.1', 'ipv4-mapped'],
	['::ffff:8.8.8.8', 'ipv4-mapped'],
	['::ffff:0:0', 'ipv4-mapped'],
	['::ffff:0:a00:1', 'ipv4-mapped'],
	['64:ff9b::7f00:1', 'nat64'],
	['64:ff9b::808:808', 'nat64'],
	['64:ff9b:1::1', 'nat64'],
	['2002::', '6to4'],
	['2002:7f00:1::1', '6to4'],
	['2001::', 'teredo'],
	['2001:0:ffff:ffff:ffff:ffff:ffff:ffff', 'teredo'],
];

const publicAddresses = [
	'1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0',
	'169.253.255.255', '192.0.1.0', '192.0.3.0', '192.167.255.255', '198.17.255.255', '198.20.0.0', '223.255.255.255',
	'2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:200::1', '2003::1', '2001:db9::1',
];

describe('address guard: classifying addresses', () => {
	for (const [ip, expected] of ipv4Table) {
		it(`IPv4 ${ip} is ${expected}`, () => assert.equal(classifyAddress(ip), expected));
	}

	for (const [ip, expected] of ipv6Table) {
		it(`IPv6 ${ip} is ${expected}`, () => assert.equal(classifyAddress(ip), expected));
	}

	it('public unicast addresses at the edges of blocked ranges are public', () => {
		for (const ip of publicAddresses) assert.equal(classifyAddress(ip), 'public', ip);
	});

	it('every blocked class has at least one address in the tables', () => {
		const seen = new Set<AddressClass>([...ipv4Table, ...ipv6Table].map(([, addressClass]) => addressClass));
		assert.deepEqual(blockedAddressClasses.filter((addressClass) => addressClass !== 'invalid' && !seen.has(addressClass)), []);
	});

	it('anything but a canonical address is invalid, and so blocked: numeric forms, names, empty', () => {
		for (const text of ['2130706433', '0x7f.1', '127.1', 'localhost', '', '[::1]', '1.2.3.4/32']) assert.equal(classifyAddress(text), 'invalid', text);
	});
});

describe('address guard: the allowlist syntax', () => {
	it('reads IPv4 and IPv6 CIDRs, bare or with a port', () => {
		const read = (entry: string) => {
			const parsed = parseAllowedNetwork(entry);
			assert.ok(parsed.ok, entry);
			return { network: parsed.network.network.toString(), prefixLength: parsed.network.prefixLength, port: parsed.network.port };
		};
		assert.deepEqual(read('10.0.0.0/8'), { network: '10.0.0.0', prefixLength: 8, port: null });
		assert.deepEqual(read('10.0.0.0/8:8080'), { network: '10.0.0.0', prefixLength: 8, port: 8080 });
		assert.deepEqual(read('fd00::/8'), { network: 'fd00::', prefixLength: 8, port: null });
		assert.deepEqual(read('[fd00::]/8'), { network: 'fd00::', prefixLength: 8, port: null });
		assert.deepEqual(read('[fd00::]/8:8080'), { network: 'fd00::', prefixLength: 8, port: 8080 });
		assert.deepEqual(read(' ::1/128 '), { network: '::1', prefixLength: 128, port: null });
	});

	it('refuses what is not a network, each with a message naming the entry and the syntax', () => {
		const problems: Array<[string, RegExp]> = [
			['example', /is not a network/],
			['10.0.0.0', /is not a network/],
			['10.0.0.0/33', /prefix length above 32/],
			['fd00::/129', /prefix length above 128/],
			['10.0.0.0/8:0', /port outside 1–65535/],
			['10.0.0.0/8:65536', /port outside 1–65535/],
			['10.0.0/8', /no valid IPv4 address/],
			['[10.0.0.0]/8:80', /no valid IPv6 address/],
			['fd00::/8:8080', /needs brackets .* \[fd00::\]\/8:8080/],
			['fe80::1%eth0/64', /is not a network/],
		];
		for (const [entry, why] of problems) {
			const parsed = parseAllowedNetwork(entry);
			assert.ok(!parsed.ok, entry);
			assert.match(parsed.problem, why, entry);
			assert.ok(parsed.problem.startsWith(`"${entry}"`), parsed.problem);
			assert.match(parsed.problem, /10\.0\.0\.0\/8:8080 or \[fd00::\]\/8:8080/);
		}
	});

	it('normalizeOptions refuses a bad entry at startup, naming every bad one', () => {
		assert.throws(
			() => normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1', allowedPrivateNetworks: ['10.0.0.0/8', 'nope', '::1/200'] }),
			(error: unknown) => error instanceof TypeError && /^allowedPrivateNetworks: "nope" .*; "::1\/200" /.test(error.message),
		);
	});

	it('normalizeOptions parses the entries once for the guard, and none by default', () => {
		const options = normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1', allowedPrivateNetworks: ['10.0.0.0/8:8080'] });
		assert.deepEqual(options.allowedNetworks.map((network) => [network.text, network.port]), [['10.0.0.0/8:8080', 8080]]);
		assert.deepEqual(normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1' }).allowedNetworks, []);
	});
});

describe('address guard: checking a connection target', () => {
	it('a public address is allowed on any port, with no allowlist', () => {
		assert.deepEqual(checkAddress('93.184.215.14', 443, []), { allowed: true });
		assert.deepEqual(checkAddress('2606:4700:4700::1111', 8080, []), { allowed: true });
	});

	it('a blocked address is refused with a reason naming the address and its class', () => {
		assert.deepEqual(checkAddress('127.0.0.1', 80, []), { allowed: false, addressClass: 'loopback', reason: 'Blocked address: 127.0.0.1 (loopback)' });
		assert.deepEqual(checkAddress('::ffff:7f00:1', 80, []), { allowed: false, addressClass: 'ipv4-mapped', reason: 'Blocked address: ::ffff:7f00:1 (ipv4-mapped)' });
	});

	it('a CIDR entry allows its network on every port, and nothing outside it', () => {
		const allowed = allowlist('10.0.0.0/8', 'fd00::/8');
		assert.equal(checkAddress('10.1.2.3', 80, allowed).allowed, true);
		assert.equal(checkAddress('10.1.2.3', 65535, allowed).allowed, true);
		assert.equal(checkAddress('fd12::1', 443, allowed).allowed, true);
		assert.equal(checkAddress('11.0.0.1', 80, allowed).allowed, true, 'public anyway');
		assert.deepEqual(checkAddress('192.168.1.1', 80, allowed), { allowed: false, addressClass: 'private', reason: 'Blocked address: 192.168.1.1 (private)' });
		assert.equal(checkAddress('fc00::1', 443, allowed).allowed, false);
	});

	it('a CIDR entry with a port allows that port only', () => {
		const allowed = allowlist('10.0.0.0/8:8080', '[fd00::]/8:8443');
		assert.equal(checkAddress('10.0.0.1', 8080, allowed).allowed, true);
		assert.equal(checkAddress('10.0.0.1', 8081, allowed).allowed, false);
		assert.equal(checkAddress('10.0.0.1', 80, allowed).allowed, false);
		assert.equal(checkAddress('fd00::1', 8443, allowed).allowed, true);
		assert.equal(checkAddress('fd00::1', 443, allowed).allowed, false);
	});

	it('address families never mix: 127.0.0.0/8 does not allow the IPv4-mapped ::ffff:127.0.0.1', () => {
		assert.equal(checkAddress('::ffff:127.0.0.1', 80, allowlist('127.0.0.0/8')).allowed, false);
		assert.equal(checkAddress('::ffff:127.0.0.1', 80, allowlist('::ffff:0:0/96')).allowed, true);
	});

	it('an invalid address is refused even by an allowlist covering everything', () => {
		assert.deepEqual(checkAddress('unknown', 80, allowlist('0.0.0.0/0', '::/0')), { allowed: false, addressClass: 'invalid', reason: 'Blocked address: unknown (invalid)' });
	});
});
