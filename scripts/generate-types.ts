// Generates src/generated/*.ts from schemas/*.json; `--check` only reports stale files (for CI).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { loadSchemaFiles, schemaDirectory, schemaIdPrefix, type SchemaFile } from '../src/schemas.js';

/** Absolute path of the folder the generated TypeScript is written to. */
export const generatedDirectory = fileURLToPath(new URL('../src/generated/', import.meta.url));

// Marks files this script owns, so orphans (from deleted schemas) can be found and removed.
const headerPrefix = '// Generated from schemas/';

const compileOptions = {
	bannerComment: '',
	// Entity schemas stay open for validation, but the types list only the known keys.
	additionalProperties: false,
	// `fields` has maxItems 16; a union of 17 tuple types would be useless.
	ignoreMinAndMaxItems: true,
	unknownAny: true,
	format: true,
	style: { useTabs: true, singleQuote: true, printWidth: 120, trailingComma: 'all' as const },
};

function generatedPathFor(schemaFile: string): string {
	return schemaFile.replace(/\.json$/, '.ts');
}

function importPath(fromFile: string, toFile: string): string {
	const rel = posix.relative(posix.dirname(fromFile), toFile).replace(/\.ts$/, '.js');
	return rel.startsWith('.') ? rel : `./${rel}`;
}

// Replaces every `misskey://X` ref with a bare type reference to X, so each type is declared once
// (in its own file) and imported where used, instead of being inlined by the ref parser.
function replaceRefs(value: unknown, refs: Set<string>): unknown {
	if (Array.isArray(value)) return value.map((item) => replaceRefs(item, refs));
	if (value === null || typeof value !== 'object') return value;
	const object = value as Record<string, unknown>;
	const ref = object.$ref;
	if (typeof ref === 'string' && ref.startsWith(schemaIdPrefix)) {
		const name = ref.slice(schemaIdPrefix.length);
		refs.add(name);
		const { $ref: _ref, ...rest } = object;
		return { ...rest, tsType: name };
	}
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(object)) out[key] = replaceRefs(inner, refs);
	return out;
}

async function generateOne(entry: SchemaFile, fileByName: Map<string, string>): Promise<string> {
	const refs = new Set<string>();
	// `$id` would otherwise become part of the type name; `$schema` is irrelevant to the types.
	const { $id: _id, $schema: _schema, ...schema } = replaceRefs(entry.schema, refs) as Record<string, unknown>;
	const body = await compile(schema as JSONSchema, entry.name, compileOptions);
	const ownPath = generatedPathFor(entry.file);
	const imports = [...refs]
		.filter((name) => name !== entry.name)
		.sort()
		.map((name) => {
			const target = fileByName.get(name);
			if (!target) throw new Error(`schemas/${entry.file}: unknown reference ${schemaIdPrefix}${name}`);
			return `import type { ${name} } from '${importPath(ownPath, generatedPathFor(target))}';\n`;
		});
	const header = `${headerPrefix}${entry.file} by npm run generate; do not edit.\n`;
	return `${header}${imports.join('')}${imports.length ? '\n' : ''}${body.trimStart()}`;
}

// The event body maps: one key per schema under schemas/events/ (user events) and schemas/events/system/ (system
// events), the event type being the file name in camel case (`abuse-report-resolved.json` → `abuseReportResolved`).
const eventBodiesFile = 'event-bodies.ts';

function eventBodiesOf(entries: readonly SchemaFile[]): string {
	const map = (folder: string) => entries
		.filter((entry) => posix.dirname(entry.file) === folder)
		.map((entry) => ({ type: posix.basename(entry.file, '.json').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()), entry }));
	const user = map('events');
	const system = map('events/system');
	const imports = [...user, ...system]
		.map(({ entry }) => `import type { ${entry.name} } from '${importPath(eventBodiesFile, generatedPathFor(entry.file))}';\n`)
		.join('');
	const members = (events: typeof user) => events.map(({ type, entry }) => `\t${type}: ${entry.name};\n`).join('');
	return `${headerPrefix}events/**/*.json by npm run generate; do not edit.\n${imports}\n`
		+ `/** The body of each user webhook event, by type (schemas/events/). */\nexport interface UserEventBodies {\n${members(user)}}\n\n`
		+ `/** The body of each system webhook event, by type (schemas/events/system/). */\nexport interface SystemEventBodies {\n${members(system)}}\n`;
}

/** Computes every generated file: path relative to src/generated/ → contents. */
export async function generateTypes(dir: string = schemaDirectory): Promise<Map<string, string>> {
	const entries = loadSchemaFiles(dir);
	const fileByName = new Map(entries.map((e) => [e.name, e.file]));
	const out = new Map<string, string>();
	for (const entry of entries) out.set(generatedPathFor(entry.file), await generateOne(entry, fileByName));
	out.set(eventBodiesFile, eventBodiesOf(entries));
	const index = [...out.keys()].sort().map((file) => `export type * from '${importPath('index.ts', file)}';\n`);
	out.set('index.ts', `${headerPrefix}*.json by npm run generate; do not edit.\n${index.join('')}`);
	return out;
}

function listGeneratedFiles(): string[] {
	if (!existsSync(generatedDirectory)) return [];
	return readdirSync(generatedDirectory, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.ts'))
		.map((file) => file.split(sep).join('/'))
		.filter((file) => readFileSync(join(generatedDirectory, file), 'utf8').startsWith(headerPrefix))
		.sort();
}

function readOrNull(file: string): string | null {
	const path = join(generatedDirectory, file);
	return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** Lists generated files (relative to src/generated/) that are missing, outdated or orphaned. */
export async function findStaleGeneratedFiles(): Promise<string[]> {
	const expected = await generateTypes();
	const stale = [...expected].filter(([file, text]) => readOrNull(file) !== text).map(([file]) => file);
	const orphans = listGeneratedFiles().filter((file) => !expected.has(file));
	return [...stale, ...orphans].sort();
}

/** Writes every generated file and deletes orphaned ones; returns what changed. */
export async function writeGeneratedTypes(): Promise<{ written: string[]; removed: string[] }> {
	const expected = await generateTypes();
	const written: string[] = [];
	for (const [file, text] of expected) {
		if (readOrNull(file) === text) continue;
		const path = join(generatedDirectory, file);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, text);
		written.push(file);
	}
	const removed = listGeneratedFiles().filter((file) => !expected.has(file));
	for (const file of removed) rmSync(join(generatedDirectory, file));
	return { written, removed };
}

async function main(): Promise<void> {
	const label = (file: string) => `src/generated/${file}`;
	if (process.argv.includes('--check')) {
		const stale = await findStaleGeneratedFiles();
		if (stale.length === 0) return;
		console.error(`Generated types are stale; run npm run generate:\n${stale.map((f) => `  ${label(f)}`).join('\n')}`);
		process.exitCode = 1;
		return;
	}
	const { written, removed } = await writeGeneratedTypes();
	const lines = [...written.map((f) => `wrote ${label(f)}`), ...removed.map((f) => `removed ${label(f)}`)];
	console.log(lines.length ? lines.join('\n') : 'Generated types are up to date.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await main();
}
