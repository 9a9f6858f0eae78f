import { loadSchemaFiles } from '../../../schemas.js';
import { eventBodySchemaName, type SystemWebhookEventType, type UserWebhookEventType } from '../../../events/catalogue.js';
import type { TemplatePiece } from './compile.js';
import type { TemplateProblem } from './template-error.js';

type EventType = UserWebhookEventType | SystemWebhookEventType;
type SchemaNode = Record<string, unknown> | boolean;

/** `ANY`: a place the schema leaves open (an object with additional properties of any shape): every path below exists. */
const ANY = Symbol('any');
type Shape = SchemaNode | typeof ANY;

let schemasByName: Map<string, SchemaNode> | undefined;

function schemaNamed(name: string): SchemaNode {
	schemasByName ??= new Map(loadSchemaFiles().map((file) => [file.name, file.schema as SchemaNode]));
	const schema = schemasByName.get(name);
	if (schema === undefined) throw new Error(`no schema named ${name}`);
	return schema;
}

/** The data a template reads for an event: the envelope, its body the event's own schema. */
function envelopeShape(type: EventType, kind: 'user' | 'system'): SchemaNode {
	const envelope = schemaNamed(kind === 'user' ? 'UserWebhookEnvelope' : 'SystemWebhookEnvelope') as Record<string, unknown>;
	const properties = { ...(envelope.properties as Record<string, unknown>), body: { $ref: `misskey://${eventBodySchemaName(type)}` } };
	return { ...envelope, properties };
}

/** The alternatives a schema node stands for, its references followed and its unions flattened. */
function alternatives(node: Shape, seen = 0): Shape[] {
	if (node === ANY || typeof node === 'boolean') return [node === false ? false : ANY];
	if (seen > 16) return [ANY];
	if (typeof node.$ref === 'string') return alternatives(schemaNamed(node.$ref.replace(/^misskey:\/\//, '')), seen + 1);
	const union = [node.anyOf, node.oneOf, node.allOf].find(Array.isArray) as SchemaNode[] | undefined;
	if (union) return union.flatMap((branch) => alternatives(branch, seen + 1));
	return [node];
}

/** The shapes one key leads to from `shape`; empty when the schema has no such key. */
function step(shape: Shape, key: string): Shape[] {
	const found: Shape[] = [];
	for (const alt of alternatives(shape)) {
		if (alt === ANY) {
			found.push(ANY);
			continue;
		}
		if (alt === false || alt === true) continue;
		const properties = alt.properties as Record<string, SchemaNode> | undefined;
		if (properties && Object.hasOwn(properties, key)) found.push(properties[key]!);
		else if (isArrayNode(alt) && /^\d+$/.test(key) && alt.items !== undefined) found.push(alt.items as SchemaNode);
		else if (alt.additionalProperties === true) found.push(ANY);
		else if (typeof alt.additionalProperties === 'object' && alt.additionalProperties !== null) found.push(alt.additionalProperties as SchemaNode);
	}
	return found;
}

function isArrayNode(node: Record<string, unknown>): boolean {
	return node.type === 'array' || (Array.isArray(node.type) && node.type.includes('array'));
}

/** What a section over `shapes` pushes: a list's items, or the value itself. */
function sectionItems(shapes: Shape[]): Shape[] {
	return shapes.flatMap((shape) => alternatives(shape).map((alt) => (alt !== ANY && typeof alt === 'object' && isArrayNode(alt) && alt.items !== undefined ? alt.items as SchemaNode : alt)));
}

/** The shapes a dotted name reads in one context, or empty when that context has no such path. */
function resolve(shapes: Shape[], name: string): Shape[] {
	if (name === '.') return shapes;
	let current = shapes;
	for (const key of name.split('.')) {
		current = current.flatMap((shape) => step(shape, key));
		if (current.length === 0) return [];
	}
	return current;
}

// A name, as mustache looks it up: in the innermost context that has the whole path, else the next one out.
function lookup(stack: readonly Shape[][], name: string): Shape[] {
	for (let index = stack.length - 1; index >= 0; index--) {
		const found = resolve(stack[index]!, name);
		if (found.length > 0) return found;
	}
	return [];
}

/**
 * The fields a template reads that the event's schema does not have. A placeholder must name a field of every event it
 * can be rendered for; a section whose field an event lacks is simply not rendered for it (mustache skips a missing
 * section), so what is inside is checked only for the events that have the field, and the field must be one of at least
 * one subscribed event.
 */
export function unknownFields(pieces: readonly TemplatePiece[], types: readonly EventType[], kind: 'user' | 'system'): TemplateProblem | null {
	const sectionHits = new Map<TemplatePiece, boolean>();
	for (const type of types) {
		const problem = check(pieces, [[envelopeShape(type, kind)]], type, sectionHits);
		if (problem) return problem;
	}
	for (const [piece, hit] of sectionHits) {
		if (!hit && piece.kind !== 'text') return { reason: `no subscribed event has the field ${piece.name}`, offset: piece.offset };
	}
	return null;
}

function check(pieces: readonly TemplatePiece[], stack: Shape[][], type: EventType, sectionHits: Map<TemplatePiece, boolean>): TemplateProblem | null {
	for (const piece of pieces) {
		if (piece.kind === 'text') continue;
		const found = lookup(stack, piece.name);
		if (piece.kind === 'value') {
			if (found.length === 0) return { reason: `the ${type} event has no field ${piece.name}`, offset: piece.offset, eventType: type };
			continue;
		}
		sectionHits.set(piece, (sectionHits.get(piece) ?? false) || found.length > 0);
		// An inverted section renders when its field is missing or empty: its content is read in the same context.
		const inner = piece.kind === 'inverted' ? stack : found.length === 0 ? null : [...stack, sectionItems(found)];
		if (inner === null) continue;
		const problem = check(piece.children, inner, type, sectionHits);
		if (problem) return problem;
	}
	return null;
}
