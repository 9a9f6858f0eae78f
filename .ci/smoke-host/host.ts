// A host as a new user writes one, run against the installed tarball with plain `node` after a strict `nodenext` build
// (no decorator settings here: the package's .d.ts carry none). It creates a database of its own, migrates it through its
// own DataSource, creates a webhook through the module's API, raises an event and checks what the receiver gets.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import {
	createWebhookModule,
	webhookEntities,
	webhookMigrations,
	type HostAdapter,
	type UserLite,
	type WebhookModule,
} from 'misskey-webhooks';
import { verifyWebhookRequest, type WebhookPayload } from 'misskey-webhooks/receiver';

const databaseUrl = new URL(required('SMOKE_DATABASE_URL'));
const redisUrl = required('SMOKE_REDIS_URL');
const label = process.env.SMOKE_LABEL ?? 'smoke';

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set`);
	return value;
}

function check(condition: unknown, what: string): asserts condition {
	if (!condition) throw new Error(`${label}: ${what}`);
	console.log(`  ok ${what}`);
}

// Everything this run leaves in Redis lives under its own key prefix; the pub/sub channel is the unique server host.
const runId = randomUUID().slice(0, 8);
const queuePrefix = `mw-smoke-${runId}`;
const serverUrl = `https://smoke-${runId}.example`;
const token = 'smoke-token';
const secret = 'smoke-secret-0123456789';
const owner = { id: 'smoke-owner', host: null };
const follower = { id: 'smoke-follower', host: 'remote.example' };

const followerLite: UserLite = {
	id: follower.id,
	name: 'Remote follower',
	username: 'follower',
	host: follower.host,
	avatarUrl: 'https://remote.example/avatar.png',
	avatarBlurhash: null,
	avatarDecorations: [],
	isBot: false,
	isCat: false,
	emojis: {},
	onlineStatus: 'unknown',
	badgeRoles: [],
};

const host: HostAdapter = {
	async authenticate(given) {
		return given === token ? { user: { id: owner.id }, isNativeToken: true } : null;
	},
	async isThreadMuted() {
		return false;
	},
	async packUserLite(userId) {
		if (userId !== follower.id) throw new Error(`unexpected user ${userId}`);
		return followerLite;
	},
	async packUserDetailed(userId) {
		throw new Error(`the smoke host packs no detailed user (${userId})`);
	},
	async packNote(noteId) {
		throw new Error(`the smoke host has no notes (${noteId})`);
	},
};

async function recreateDatabase(): Promise<void> {
	const name = databaseUrl.pathname.slice(1);
	if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name must be [a-z0-9_]+: ${name}`);
	const admin = new pg.Client({ connectionString: new URL('/postgres', databaseUrl).href });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
}

interface Received {
	headers: IncomingHttpHeaders;
	rawBody: string;
}

/** A webhook receiver on a free local port that hands over the first request it gets. */
async function startReceiver(): Promise<{ url: string; first: Promise<Received>; close(): Promise<void> }> {
	let deliver!: (received: Received) => void;
	const first = new Promise<Received>((resolve) => { deliver = resolve; });
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			response.writeHead(204).end();
			deliver({ headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		first,
		close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
	};
}

async function clearRedisKeys(): Promise<void> {
	const redis = new Redis(redisUrl);
	try {
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}*`, 'COUNT', 1000);
			if (keys.length > 0) await redis.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		redis.disconnect();
	}
}

async function main(): Promise<void> {
	await recreateDatabase();
	const dataSource = new DataSource({ type: 'postgres', url: databaseUrl.href, entities: webhookEntities, migrations: webhookMigrations });
	await dataSource.initialize();
	const receiver = await startReceiver();
	const app = Fastify();
	let webhooks: WebhookModule | undefined;
	try {
		const ran = await dataSource.runMigrations();
		check(ran.length === webhookMigrations.length, `the host's DataSource ran the module's ${webhookMigrations.length} migrations`);
		check(webhookEntities.every((entity) => dataSource.hasMetadata(entity)), `the host's DataSource knows the module's ${webhookEntities.length} entities`);

		webhooks = await createWebhookModule({
			dataSource,
			host,
			serverUrl,
			redisUrl,
			queuePrefix,
			allowedPrivateNetworks: ['127.0.0.1/32'],
		});
		await app.register(webhooks.fastifyPlugin, { prefix: '/api' });
		await app.register(webhooks.adminPagePlugin, { prefix: '/admin/webhooks' });
		await app.ready();

		const page = await app.inject({ method: 'GET', url: '/admin/webhooks/' });
		check(page.statusCode === 200 && page.body.includes('<base href="/admin/webhooks/">'), 'the admin page is served from the package');
		const script = await app.inject({ method: 'GET', url: '/admin/webhooks/admin.js' });
		check(script.statusCode === 200 && script.body.length > 0, 'the admin page\'s script is served from the package');

		const created = await app.inject({
			method: 'POST',
			url: '/api/i/webhooks/create',
			payload: { i: token, name: 'smoke', url: receiver.url, on: ['followed'], secret },
		});
		// A success carries the webhook's secret, so only a refusal (Misskey's error envelope) is printed.
		if (created.statusCode !== 200) throw new Error(`${label}: i/webhooks/create answered ${created.statusCode} ${created.body}`);
		check(true, 'i/webhooks/create answers 200');
		const webhook = created.json<{ id: string; active: boolean }>();

		await webhooks.startWorkers();
		await webhooks.events.followCreated({ follower, followee: owner });

		const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${label}: no delivery within 60 s`)), 60_000).unref());
		const { headers, rawBody } = await Promise.race([receiver.first, timeout]);
		check(headers['content-type'] === 'application/json', 'Content-Type is application/json');
		check(headers['user-agent'] === 'Misskey-Hooks', 'User-Agent is Misskey-Hooks');
		check(headers['x-misskey-host'] === new URL(serverUrl).host, 'X-Misskey-Host is the server\'s host');
		check(headers['x-misskey-hook-id'] === webhook.id, 'X-Misskey-Hook-Id is the webhook\'s id');
		check(headers['x-misskey-hook-secret'] === secret, 'X-Misskey-Hook-Secret is the webhook\'s secret');
		check(typeof headers['webhook-id'] === 'string' && typeof headers['webhook-timestamp'] === 'string', 'webhook-id and webhook-timestamp are set');
		check(String(headers['webhook-signature']).startsWith('v1,'), 'webhook-signature is a v1 signature');

		const verdict = verifyWebhookRequest({ headers, rawBody, secret });
		if (!verdict.ok) throw new Error(`${label}: the receiver refused the delivery: ${verdict.reason} ${verdict.detail ?? ''}`);
		const payload: WebhookPayload = verdict.payload;
		check(verdict.via === 'signature', 'the receiver verifies the signature');
		check(payload.type === 'followed' && payload.body.user.id === follower.id, 'the payload is the followed event with the packed follower');
		check(payload.server === serverUrl && payload.hookId === webhook.id && payload.userId === owner.id, 'the envelope names the server, the webhook and its owner');
	} finally {
		await app.close();
		await webhooks?.close();
		await receiver.close();
		await dataSource.destroy();
		await clearRedisKeys();
	}
}

const started = Date.now();
main().then(
	() => {
		console.log(`${label}: host smoke passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		process.exit(0);
	},
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
