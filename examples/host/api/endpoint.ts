import type { SchemaObject } from 'ajv';
import type { UserEntity } from '../entities/index.js';
import type { HostServices } from '../services/index.js';
import type { ApiErrorDefinition } from './errors.js';

/** What a handler answers: a JSON body (200), nothing (204), or a declared error. */
export type EndpointOutcome =
	| { kind: 'ok'; body: unknown }
	| { kind: 'noContent' }
	| { kind: 'error'; error: ApiErrorDefinition };

/** A 200 with `body`. */
export const ok = (body: unknown): EndpointOutcome => ({ kind: 'ok', body });
/** A 204 with no body (Misskey: a handler that returns nothing). */
export const noContent = (): EndpointOutcome => ({ kind: 'noContent' });
/** A declared error. */
export const fail = (error: ApiErrorDefinition): EndpointOutcome => ({ kind: 'error', error });

interface EndpointBase {
	/** `POST /api/<name>`. */
	name: string;
	/** JSON Schema of the body (`i` excluded); validated with Ajv, defaults filled in. */
	params: SchemaObject;
	/** Only administrators and moderators may call it; others get ROLE_PERMISSION_DENIED (Misskey `requireModerator`). */
	requireModerator?: boolean;
}

/** One endpoint's whole contract: name, params schema, whether a credential is needed, and the handler. */
export type HostEndpoint<Params> = EndpointBase & (
	| { requireCredential: true; handler(params: Params, me: UserEntity, services: HostServices): Promise<EndpointOutcome> }
	| { requireCredential: false; handler(params: Params, me: UserEntity | null, services: HostServices): Promise<EndpointOutcome> }
);

/** Declares an endpoint, inferring its params type from the handler. */
export function defineEndpoint<Params>(endpoint: HostEndpoint<Params>): HostEndpoint<Params> {
	return endpoint;
}
