import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { parseHostConfig } from '../../examples/host/config.js';
import { repositoryRoot } from './host-process.js';

describe('reference host configuration (examples/host/config.ts)', () => {
	it('an empty environment gives the documented defaults', () => {
		assert.deepEqual(parseHostConfig({}), {
			ok: true,
			config: {
				port: 3000,
				host: '127.0.0.1',
				databaseUrl: 'postgres://postgres@127.0.0.1:5432/misskey_webhooks',
				redisUrl: 'redis://127.0.0.1:6379',
				serverUrl: 'http://127.0.0.1:3000',
				allowedPrivateNetworks: [],
				showPrivateNetworkAnswers: false,
				retryDelaysMs: undefined,
				logLevel: 'info',
				workers: true,
				reconcileIntervalMs: undefined,
				jobLockDurationMs: undefined,
				stalledCheckIntervalMs: undefined,
			},
		});
	});

	it('SERVER_URL defaults to http://HOST:PORT, and a given one loses its trailing slash', () => {
		const derived = parseHostConfig({ HOST: '0.0.0.0', PORT: '8080' });
		assert.equal(derived.ok && derived.config.serverUrl, 'http://0.0.0.0:8080');
		const given = parseHostConfig({ SERVER_URL: 'https://misskey.example/' });
		assert.equal(given.ok && given.config.serverUrl, 'https://misskey.example');
	});

	it('comma-separated networks and retry delays become the module options', () => {
		const parsed = parseHostConfig({ WEBHOOK_ALLOWED_PRIVATE_NETWORKS: '10.0.0.0/8, ::1/128', WEBHOOK_RETRY_DELAYS_MS: '50, 100,1000' });
		assert.ok(parsed.ok);
		assert.deepEqual(parsed.config.allowedPrivateNetworks, ['10.0.0.0/8', '::1/128']);
		assert.deepEqual(parsed.config.retryDelaysMs, [50, 100, 1000]);
	});

	it('WEBHOOK_ALLOWED_PRIVATE_NETWORKS takes the address guard\'s syntax, ports included, and names a bad entry', () => {
		const parsed = parseHostConfig({ WEBHOOK_ALLOWED_PRIVATE_NETWORKS: '10.0.0.0/8:8080,[fd00::]/8:8443' });
		assert.ok(parsed.ok);
		assert.deepEqual(parsed.config.allowedPrivateNetworks, ['10.0.0.0/8:8080', '[fd00::]/8:8443']);
		const bad = parseHostConfig({ WEBHOOK_ALLOWED_PRIVATE_NETWORKS: 'fd00::/8:8443' });
		assert.ok(!bad.ok);
		assert.match(bad.problems[0]!, /^WEBHOOK_ALLOWED_PRIVATE_NETWORKS: "fd00::\/8:8443" needs brackets/);
	});

	it('LOG_LEVEL takes one of pino\'s levels, in any case; anything else is refused with the list', () => {
		for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
			const parsed = parseHostConfig({ LOG_LEVEL: level });
			assert.equal(parsed.ok && parsed.config.logLevel, level);
		}
		const shouted = parseHostConfig({ LOG_LEVEL: ' DEBUG ' });
		assert.equal(shouted.ok && shouted.config.logLevel, 'debug');
		const bad = parseHostConfig({ LOG_LEVEL: 'verbose' });
		assert.ok(!bad.ok);
		assert.deepEqual(bad.problems, ['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"']);
	});

	it('WEBHOOK_WORKERS=off makes a web process without workers; the recovery timings become the module options', () => {
		const parsed = parseHostConfig({ WEBHOOK_WORKERS: 'OFF', WEBHOOK_RECONCILE_INTERVAL_MS: '2000', WEBHOOK_JOB_LOCK_DURATION_MS: '5000', WEBHOOK_STALLED_CHECK_INTERVAL_MS: '1000' });
		assert.ok(parsed.ok);
		assert.equal(parsed.config.workers, false);
		assert.deepEqual([parsed.config.reconcileIntervalMs, parsed.config.jobLockDurationMs, parsed.config.stalledCheckIntervalMs], [2000, 5000, 1000]);
		const bad = parseHostConfig({ WEBHOOK_WORKERS: 'sometimes', WEBHOOK_RECONCILE_INTERVAL_MS: '2s', WEBHOOK_JOB_LOCK_DURATION_MS: '-1' });
		assert.ok(!bad.ok);
		assert.deepEqual(bad.problems.map((problem) => problem.split(/[ :]/)[0]), ['WEBHOOK_WORKERS', 'WEBHOOK_RECONCILE_INTERVAL_MS', 'WEBHOOK_JOB_LOCK_DURATION_MS']);
	});

	it('every bad value is reported at once', () => {
		const parsed = parseHostConfig({
			PORT: '70000',
			DATABASE_URL: 'mysql://db',
			REDIS_URL: 'localhost:6379',
			WEBHOOK_ALLOWED_PRIVATE_NETWORKS: '10.0.0.0/33,example',
			WEBHOOK_RETRY_DELAYS_MS: '100,-5,soon',
			LOG_LEVEL: 'loud',
		});
		assert.ok(!parsed.ok);
		assert.deepEqual(parsed.problems.map((problem) => problem.split(/[ :]/)[0]), [
			'PORT', 'DATABASE_URL', 'REDIS_URL',
			'WEBHOOK_ALLOWED_PRIVATE_NETWORKS', 'WEBHOOK_ALLOWED_PRIVATE_NETWORKS',
			'WEBHOOK_RETRY_DELAYS_MS', 'WEBHOOK_RETRY_DELAYS_MS',
			'LOG_LEVEL',
		]);
	});

	it('the host exits with code 1 and names the variable when a value is bad', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'examples/host/main.ts'], {
			cwd: repositoryRoot,
			env: { ...process.env, PORT: 'eighty' },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
		assert.equal(code, 1);
		assert.match(stderr, /PORT must be an integer from 0 to 65535, got "eighty"/);
	});
});
