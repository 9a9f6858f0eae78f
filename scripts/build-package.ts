// `npm run build`: compiles src/ and migrations/ to dist/ (ES modules, .d.ts, source maps), then copies the files the
// compiled code reads beside itself at run time: the JSON Schemas (dist/schemas, found as ../schemas from dist/src) and
// the pages' static files (dist/src/admin, dist/src/user-page, dist/src/browser-shared, found beside their plugins) and the Misskey edits.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

cpSync(join(root, 'schemas'), join(dist, 'schemas'), { recursive: true });

// The pages are plain browser files: everything in their folders except the plugins' TypeScript.
for (const folder of ['src/admin', 'src/user-page', 'src/browser-shared']) {
	const assets = readdirSync(join(root, folder)).filter((name) => ['.html', '.css', '.js'].includes(extname(name)));
	for (const name of assets) cpSync(join(root, folder, name), join(dist, folder, name));
}

// The edits the Misskey command applies (dist/src/misskey/patches, found beside cli.js).
cpSync(join(root, 'src/misskey/patches'), join(dist, 'src/misskey/patches'), { recursive: true });

// Compiled modules are the .js files with a source map beside them (the admin page's browser files have none).
const compiled = () => readdirSync(dist, { recursive: true, encoding: 'utf8' })
	.filter((file) => file.endsWith('.js') && existsSync(join(dist, `${file}.map`)));

// A module that holds only types compiles to an empty `export {};`: nothing loads it at run time (its .d.ts stays), so
// it and its source map are left out of the package.
for (const file of compiled()) {
	const code = readFileSync(join(dist, file), 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '').trim();
	if (code === 'export {};') {
		rmSync(join(dist, file));
		rmSync(join(dist, `${file}.map`));
	}
}

// Every file the compiled code names relative to itself (imports, and `new URL('…', import.meta.url)`) must be in dist,
// or a host would fail on load.
const relativeReferences = [
	/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.\.?\/[^'"]+)['"]/gm,
	/^\s*import\s*['"](\.\.?\/[^'"]+)['"]/gm,
	/new URL\(\s*['"](\.\.?\/[^'"]*)['"]\s*,\s*import\.meta\.url\s*\)/g,
];
const missing = [];
for (const file of compiled()) {
	const code = readFileSync(join(dist, file), 'utf8');
	for (const pattern of relativeReferences) {
		for (const [, specifier] of code.matchAll(pattern)) {
			if (!existsSync(resolve(dirname(join(dist, file)), specifier))) missing.push(`${file} names ${specifier}`);
		}
	}
}
if (missing.length > 0) throw new Error(`dist lacks files its code names:\n${missing.join('\n')}`);
