// A Misskey server of the Misskey stage (.ci/misskey) as a child process, and its API over HTTP.
//   MISSKEY_NODE     the Node 22 that runs Misskey
//   MISSKEY_BACKEND  Misskey's built packages/backend
//   MISSKEY_SETUP_PASSWORD  the config's setupPassword, for the first account
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: the Misskey stage (.ci/misskey) sets it`);
	return value;
}

export type MisskeyRole = 'all' | 'server' | 'queue';

export interface MisskeyProcess {
	readonly url: string;
	readonly child: ChildProcess;
	/** Everything the process printed, for a failure's message. */
	output(): string;
	/** SIGTERM, then SIGKILL after 10 s; resolves once the process exited. */
	stop(): Promise<void>;
	/** SIGKILL: the process gets no chance to finish anything. */
	kill(): Promise<void>;
}

/** Boots Misskey with a config from `.config/` (the stage writes them) and resolves once it says it is ready. */
export async function startMisskey(options: { config: string; port: number; role?: MisskeyRole }): Promise<MisskeyProcess> {
	const role = options.role ?? 'all';
	const child = spawn(required('MISSKEY_NODE'), ['built/boot/entry.js'], {
		cwd: required('MISSKEY_BACKEND'),
		env: {
			...process.env,
			// Production: Misskey logs every query and lifts its rate limits otherwise.
			NODE_ENV: 'production',
			MK_DISABLE_CLUSTERING: '1',
			MISSKEY_CONFIG_YML: options.config,
			...(role === 'server' ? { MK_ONLY_SERVER: '1' } : {}),
			...(role === 'queue' ? { MK_ONLY_QUEUE: '1' } : {}),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const ready = role === 'queue' ? 'Queue started' : 'Now listening';
	const deadline = Date.now() + 90_000;
	while (!output.includes(ready)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`Misskey (${role}) did not start:\n${output.slice(-4000)}`);
		}
		await sleep(100);
	}
	const signal = async (name: NodeJS.Signals) => {
		if (child.exitCode === null && child.signalCode === null) child.kill(name);
		await exited;
	};
	return {
		url: `http://127.0.0.1:${options.port}`,
		child,
		output: () => output,
		kill: () => signal('SIGKILL'),
		async stop() {
			const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await signal('SIGTERM');
			clearTimeout(force);
		},
	};
}

export class MisskeyApiError extends Error {
	constructor(readonly endpoint: string, readonly status: number, readonly body: unknown) {
		super(`${endpoint}: ${status} ${JSON.stringify(body)}`);
	}
}

/** POST /api/<endpoint> as Misskey's clients call it; throws on anything but 2xx. */
export async function api<T = any>(url: string, endpoint: string, params: Record<string, unknown> = {}, token?: string): Promise<T> {
	const response = await fetch(`${url}/api/${endpoint}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(token ? { ...params, i: token } : params),
	});
	const text = await response.text();
	const body = text ? JSON.parse(text) : null;
	if (!response.ok) throw new MisskeyApiError(endpoint, response.status, body);
	return body as T;
}

export interface Account {
	id: string;
	username: string;
	token: string;
}

/** The first account (the root administrator), created with the config's setup password. */
export async function createRootAccount(url: string, username: string): Promise<Account> {
	const created = await api<{ id: string; token: string }>(url, 'admin/accounts/create', { username, password: `${username}-password`, setupPassword: required('MISSKEY_SETUP_PASSWORD') });
	return { id: created.id, username, token: created.token };
}

/** A further local account, created by an administrator. */
export async function createAccount(url: string, admin: Account, username: string): Promise<Account> {
	const created = await api<{ id: string; token: string }>(url, 'admin/accounts/create', { username, password: `${username}-password` }, admin.token);
	return { id: created.id, username, token: created.token };
}
