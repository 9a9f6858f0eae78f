#!/usr/bin/env node
// `misskey-webhooks-misskey apply|check|revert [--dir <misskey>] [--as <version>]`: applies to a Misskey checkout the
// edits that hand its webhooks to the module (docs/misskey.md lists each one and why), checks them, or takes them back.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const patchesDir = fileURLToPath(new URL('./patches/', import.meta.url));
const packageName = 'misskey-webhooks';

class UsageError extends Error {}

function supportedVersions(): string[] {
	return readdirSync(patchesDir).flatMap((name) => /^misskey-(.+)\.patch$/.exec(name)?.[1] ?? []).sort();
}

/** The Misskey checkout: the given folder, or the nearest one up from here that holds Misskey's backend. */
function findMisskeyRoot(start: string): string {
	for (let dir = resolve(start); ; dir = dirname(dir)) {
		if (existsSync(join(dir, 'packages/backend/src/core/NoteCreateService.ts'))) return dir;
		if (dirname(dir) === dir) throw new UsageError(`no Misskey checkout at or above ${start} (looked for packages/backend/src/core/NoteCreateService.ts)`);
	}
}

function readJson(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Runs `git apply` with the arguments in the checkout: null when it succeeds, else what git said. */
function gitApply(root: string, args: string[]): string | null {
	try {
		execFileSync('git', ['apply', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
		return null;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError('git is needed to apply the edits and was not found on PATH');
		return String((error as { stderr?: Buffer }).stderr ?? error).trim();
	}
}

function main(argv: string[]): number {
	const { positionals, values } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { dir: { type: 'string', default: process.cwd() }, as: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
	});
	const [command] = positionals;
	if (values.help || !command || !['apply', 'check', 'revert'].includes(command)) {
		console.log(`usage: misskey-webhooks-misskey apply|check|revert [--dir <misskey checkout>] [--as <misskey version>]
  apply   applies the edits that hand Misskey's webhooks to ${packageName} (nothing changes if any part does not fit)
  check   says whether they are applied, and fails when they are not
  revert  takes them back
Edits ship for Misskey ${supportedVersions().join(', ')}; --as picks one for a fork or a later release.`);
		return command || values.help ? 0 : 2;
	}

	const root = findMisskeyRoot(values.dir);
	const version = values.as ?? String(readJson(join(root, 'package.json')).version);
	const patch = join(patchesDir, `misskey-${version}.patch`);
	if (!existsSync(patch)) {
		throw new UsageError(`no edits for Misskey ${version}; they ship for ${supportedVersions().join(', ')}. A fork or a later release may fit one of them: try --as <version>, and see docs/misskey.md for what each edit does`);
	}
	const backend = readJson(join(root, 'packages/backend/package.json'));
	const dependencies = { ...(backend.dependencies as Record<string, string> | undefined) };
	if (!(packageName in dependencies)) {
		throw new UsageError(`packages/backend does not depend on ${packageName} yet: run \`pnpm --filter backend add ${packageName}\` in ${root} first`);
	}

	const applied = gitApply(root, ['--check', '--reverse', patch]) === null;
	switch (command) {
		case 'check':
			console.log(applied ? `the ${packageName} edits for Misskey ${version} are applied in ${root}` : `the ${packageName} edits for Misskey ${version} are not applied in ${root}`);
			return applied ? 0 : 1;
		case 'apply': {
			if (applied) {
				console.log(`already applied in ${root}`);
				return 0;
			}
			// git applies a patch whole or not at all.
			const refusal = gitApply(root, [patch]);
			if (refusal !== null) {
				console.error(`the edits for Misskey ${version} do not fit ${root}; nothing was changed:\n${refusal}`);
				return 1;
			}
			console.log(`applied the ${packageName} edits for Misskey ${version} in ${root}; next: pnpm build && pnpm migrate`);
			return 0;
		}
		default: {
			if (!applied) {
				console.error(`the edits for Misskey ${version} are not applied in ${root} (or were changed since): nothing to revert`);
				return 1;
			}
			const refusal = gitApply(root, ['--reverse', patch]);
			if (refusal !== null) {
				console.error(refusal);
				return 1;
			}
			console.log(`reverted the ${packageName} edits in ${root}; the package stays a dependency until \`pnpm --filter backend remove ${packageName}\``);
			return 0;
		}
	}
}

try {
	process.exitCode = main(process.argv.slice(2));
} catch (error) {
	if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
	console.error(`misskey-webhooks-misskey: ${error.message}`);
	process.exitCode = 2;
}
