import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { repositoryRoot } from '../e2e/host-process.js';

/** Runs `code` (an ES module body) in a fresh Node process from the repository root; resolves with what it printed. */
async function runNode(code: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
	const exit = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	return { stdout, stderr, code: exit };
}

describe('the default logger', function () {
	this.timeout(30_000);

	it('is pino at level info writing JSON lines to standard error, nothing to standard output', async () => {
		const { stdout, stderr, code } = await runNode(`
			import { normalizeOptions } from './src/config/options.ts';
			const { logger } = normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379' });
			const child = logger.child({ module: 'misskey-webhooks' });
			child.debug({ webhookId: 'w1' }, 'not at info');
			child.info({ webhookId: 'w2' }, 'at info');
			child.warn({ webhookId: 'w3', attempt: 2 }, 'a warning');
		`);
		assert.equal(code, 0, stderr);
		assert.equal(stdout, '');
		const lines = stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
		assert.deepEqual(lines.map((line) => [line.level, line.msg, line.webhookId, line.module]), [
			[30, 'at info', 'w2', 'misskey-webhooks'],
			[40, 'a warning', 'w3', 'misskey-webhooks'],
		]);
		assert.equal(lines[1]?.attempt, 2);
	});
});
