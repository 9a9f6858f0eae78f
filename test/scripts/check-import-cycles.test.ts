import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '../e2e/host-process.js';

const run = promisify(execFile);
const checker = path.join(repositoryRoot, 'scripts/check-import-cycles.ts');

/** Runs the checker on `roots` from `cwd`; resolves with its exit code and output. */
async function check(cwd: string, roots: string[]): Promise<{ code: number; output: string }> {
	try {
		const { stdout, stderr } = await run(path.join(repositoryRoot, 'node_modules/.bin/tsx'), [checker, ...roots], { cwd });
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, output: failed.stdout + failed.stderr };
	}
}

async function tree(files: Record<string, string>): Promise<string> {
	const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'cycles-'));
	for (const [name, text] of Object.entries(files)) {
		await fs.mkdir(path.dirname(path.join(directory, name)), { recursive: true });
		await fs.writeFile(path.join(directory, name), text);
	}
	return directory;
}

describe('the import-cycle check', () => {
	it('passes on the module source', async () => {
		const result = await check(repositoryRoot, ['src']);
		assert.equal(result.code, 0, result.output);
		assert.match(result.output, /no import cycles/);
	});

	it('fails when two folders import each other, even without a file-level cycle, and names the imports', async () => {
		const directory = await tree({
			'src/a/one.ts': "import { two } from '../b/two.js';\nexport const one = two;\n",
			'src/a/three.ts': 'export const three = 3;\n',
			'src/b/two.ts': "import { three } from '../a/three.js';\nexport const two = three;\n",
		});
		const result = await check(directory, ['src']);
		assert.equal(result.code, 1, result.output);
		assert.match(result.output, /folder cycle: src\/a, src\/b/);
		assert.match(result.output, /src\/b\/two\.ts imports src\/a\/three\.ts/);
		assert.doesNotMatch(result.output, /file cycle/);
	});

	it('fails on a file-level cycle inside one folder', async () => {
		const directory = await tree({
			'src/a/one.ts': "import type { Two } from './two.js';\nexport type One = Two;\n",
			'src/a/two.ts': "import type { One } from './one.js';\nexport type Two = One | 2;\n",
		});
		const result = await check(directory, ['src']);
		assert.equal(result.code, 1, result.output);
		assert.match(result.output, /file cycle: src\/a\/one\.ts, src\/a\/two\.ts/);
	});
});
