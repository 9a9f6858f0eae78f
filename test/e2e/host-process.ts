import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { testAllowedPrivateNetworks, testDatabaseUrl, testRedisUrl } from '../support/env.js';

/** The repository root: the reference host runs from there, as `npm start` does. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

// Variables the host reads; the inherited environment must not leak values of its own into a test run.
const hostVariables = ['PORT', 'HOST', 'DATABASE_URL', 'REDIS_URL', 'SERVER_URL', 'WEBHOOK_ALLOWED_PRIVATE_NETWORKS', 'WEBHOOK_RETRY_DELAYS_MS', 'LOG_LEVEL', 'WEBHOOK_WORKERS', 'WEBHOOK_RECONCILE_INTERVAL_MS', 'WEBHOOK_JOB_LOCK_DURATION_MS', 'WEBHOOK_STALLED_CHECK_INTERVAL_MS'];

/** A port nobody listens on right now (the OS picks it; it is released before the host binds it). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** A reference host running as a child process. */
export interface HostProcess {
	/** The URL from the host's `listening on` line ('' for a process that does not listen). */
	listenUrl: string;
	/** The process group's id (the process itself), for a test that kills it. */
	pid: number;
	/** Everything it printed so far (stdout and stderr), for failure messages. */
	output(): string;
	/** Sends SIGTERM to the process group and resolves with the exit code once every process in it is gone. */
	stop(): Promise<number | null>;
}

export interface StartHostOptions {
	/** Program and arguments, e.g. `[process.execPath, '--import', 'tsx', 'examples/host/main.ts']` or `['npm', 'start']`. */
	command: [string, ...string[]];
	env: Record<string, string>;
	startTimeoutMs?: number;
	/** The line that says the process is ready; its first group, if any, is `listenUrl`. Default: the host's `listening on` line. */
	readyPattern?: RegExp;
}

const LISTENING_LINE = /listening on (http:\/\/\S+)/;

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

// `npm start` runs the host through a shell and tsx; waiting for the whole group makes sure none of them outlives the test.
async function groupGone(pid: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			process.kill(-pid, 0);
		} catch {
			return;
		}
		if (Date.now() > deadline) {
			process.kill(-pid, 'SIGKILL');
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Starts the host in its own process group and resolves once it prints its `listening on` line. */
export async function startHostProcess(options: StartHostOptions): Promise<HostProcess> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !hostVariables.includes(key)) env[key] = value;
	}
	const [program, ...args] = options.command;
	const child = spawn(program, args, { cwd: repositoryRoot, env: { ...env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
	const pid = child.pid;
	if (pid === undefined) throw new Error(`could not start ${options.command.join(' ')}`);

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) process.kill(-pid, 'SIGTERM');
		const code = await exited(child);
		await groupGone(pid, 10_000);
		return code;
	};

	const timeoutMs = options.startTimeoutMs ?? 30_000;
	const listenUrl = await new Promise<string>((resolve, reject) => {
		const readyPattern = options.readyPattern ?? LISTENING_LINE;
		const timer = setTimeout(() => fail(new Error(`the host printed no ready line within ${timeoutMs} ms:\n${output}`)), timeoutMs);
		const onData = () => {
			const ready = readyPattern.exec(output);
			if (ready) finish(() => resolve(ready[1] ?? ''));
		};
		const onExit = (code: number | null) => fail(new Error(`the host exited with ${code} before listening:\n${output}`));
		const finish = (settle: () => void) => {
			clearTimeout(timer);
			child.stdout?.off('data', onData);
			child.off('exit', onExit);
			settle();
		};
		const fail = (error: Error) => finish(() => { void stop().finally(() => reject(error)); });
		child.stdout?.on('data', onData);
		child.once('exit', onExit);
	});

	return { listenUrl, pid, output: () => output, stop };
}

/** How the suites run the reference host: `node --import tsx examples/host/main.ts`, as `npm start` does without npm. */
export const REFERENCE_HOST_COMMAND: [string, ...string[]] = [process.execPath, '--import', 'tsx', 'examples/host/main.ts'];

/**
 * The reference host on a free loopback port, on the test database and Redis, allowed to deliver to the loopback
 * receivers the suites listen on, with `retryDelaysMs` as its WEBHOOK_RETRY_DELAYS_MS; `env` adds or overrides variables.
 */
export async function startReferenceHost(retryDelaysMs: readonly number[], env: Record<string, string> = {}): Promise<HostProcess> {
	const port = await freePort();
	return startHostProcess({
		command: REFERENCE_HOST_COMMAND,
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_URL: testDatabaseUrl,
			REDIS_URL: testRedisUrl,
			WEBHOOK_RETRY_DELAYS_MS: retryDelaysMs.join(','),
			// The receivers listen on loopback, which the address guard refuses unless allowed.
			WEBHOOK_ALLOWED_PRIVATE_NETWORKS: testAllowedPrivateNetworks.join(','),
			...env,
		},
	});
}

/** How the suites run the reference host's worker process: `node --import tsx examples/host/worker.ts`, as `npm run worker` does. */
export const REFERENCE_WORKER_COMMAND: [string, ...string[]] = [process.execPath, '--import', 'tsx', 'examples/host/worker.ts'];

/** The line a worker process prints once its workers run. */
export const WORKERS_RUNNING_LINE = /workers running/;
