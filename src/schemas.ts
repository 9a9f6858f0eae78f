import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: NodeNext types its default import as the whole module while runtimes may hand
// over either the plugin or the module, so accept both.
const formats = formatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formats.default ?? formats;

/** Prefix of every schema `$id`; `misskey://X` names schema X (the Misskey docs convention). */
export const schemaIdPrefix = 'misskey://';

/** Absolute path of the `schemas/` folder shipped with this package. */
export const schemaDirectory = fileURLToPath(new URL('../schemas/', import.meta.url));

/** One schema file: its path relative to `schemas/` (forward slashes), its name and its JSON. */
export interface SchemaFile {
	file: string;
	name: string;
	schema: AnySchemaObject;
}

/** Reads every `*.json` schema under `dir`, sorted by path, checking that `$id` and `title` agree. */
export function loadSchemaFiles(dir: string = schemaDirectory): SchemaFile[] {
	const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.split(sep).join('/'))
		.sort();
	return files.map((file) => {
		const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AnySchemaObject;
		const id = schema.$id;
		if (typeof id !== 'string' || !id.startsWith(schemaIdPrefix)) {
			throw new Error(`schemas/${file}: $id must start with ${schemaIdPrefix}`);
		}
		const name = id.slice(schemaIdPrefix.length);
		if (schema.title !== name) throw new Error(`schemas/${file}: title must be ${name}`);
		return { file, name, schema };
	});
}

/** Result of a validation; `errors` is empty when valid. */
export interface SchemaValidationResult {
	valid: boolean;
	errors: string;
}

/** Validates values against the schemas by schema name (`'Note'`, `'FollowWebhookBody'`, ...). */
export interface SchemaValidator {
	/** Names of all loaded schemas. */
	readonly names: readonly string[];
	validate(name: string, value: unknown): SchemaValidationResult;
	assert(name: string, value: unknown): void;
}

function formatError(error: ErrorObject): string {
	const path = error.instancePath === '' ? '/' : error.instancePath;
	// Ajv's additionalProperties message does not name the extra key; add it so failures are actionable.
	const detail = error.keyword === 'additionalProperties'
		? ` (${String(error.params.additionalProperty)})`
		: '';
	return `${path} ${error.message ?? error.keyword}${detail}`;
}

// Ajv resolves `$ref: misskey://UserLite` to the lower-cased `misskey://userlite` (the URI host
// part) but registers `$id`s verbatim, so both are lower-cased before Ajv sees them.
function ajvId(name: string): string {
	return schemaIdPrefix + name.toLowerCase();
}

function lowerCaseIds(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(lowerCaseIds);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		const isId = (key === '$id' || key === '$ref') && typeof inner === 'string' && inner.startsWith(schemaIdPrefix);
		out[key] = isId ? ajvId((inner as string).slice(schemaIdPrefix.length)) : lowerCaseIds(inner);
	}
	return out;
}

/** Builds a validator over every schema in `schemas/` (or `dir`), compiling lazily per name. */
export function createSchemaValidator(dir?: string): SchemaValidator {
	const files = loadSchemaFiles(dir);
	// strict off: schemas carry annotations (descriptions, formats on nullable types) strict mode rejects.
	const ajv = new Ajv2020({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addFormat('md5', /^[0-9a-f]{32}$/i);
	for (const { schema } of files) ajv.addSchema(lowerCaseIds(schema) as AnySchemaObject);
	const names = files.map((f) => f.name);
	const compiled = new Map<string, ValidateFunction>();

	function getValidator(name: string): ValidateFunction {
		let fn = compiled.get(name);
		if (fn) return fn;
		if (!names.includes(name)) throw new Error(`Unknown schema: ${name}`);
		fn = ajv.getSchema(ajvId(name));
		if (!fn) throw new Error(`Schema ${name} did not compile`);
		compiled.set(name, fn);
		return fn;
	}

	function validate(name: string, value: unknown): SchemaValidationResult {
		const fn = getValidator(name);
		const valid = fn(value) as boolean;
		return { valid, errors: valid ? '' : (fn.errors ?? []).map(formatError).join('; ') };
	}

	return {
		names,
		validate,
		assert(name, value) {
			const result = validate(name, value);
			if (!result.valid) throw new Error(`Value does not match schema ${name}: ${result.errors}`);
		},
	};
}
