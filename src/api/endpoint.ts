import type { Caller, HostAdapter } from '../host.js';
import type { NormalizedOptions } from '../config/options.js';
import type { WebhookStore } from '../store/webhook-store.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { UserWebhookDelivery } from '../delivery/user-webhook-delivery.js';
import type { SystemWebhookStore } from '../store/system-webhook-store.js';
import type { SystemWebhookDelivery } from '../delivery/system-webhook-delivery.js';
import type { ApiErrorDefinition } from './errors/api-errors.js';
import type { FromSchema, ObjectParamSchema } from './params/params-schema.js';

/** A Misskey permission kind an app token must hold, e.g. `read:account`. */
export type PermissionKind = `${'read' | 'write'}:${string}`;

/** The module's parts the API uses, passed as plain values: the plugin is made with them, every handler gets them. */
export interface ApiDependencies {
	store: WebhookStore;
	registry: WebhookRegistry;
	delivery: UserWebhookDelivery;
	/** The `system_webhook` table, for `admin/system-webhook/*`. */
	systemStore: SystemWebhookStore;
	/** The `systemWebhookDeliver` queue, for `admin/system-webhook/test`. */
	systemDelivery: SystemWebhookDelivery;
	host: HostAdapter;
	options: NormalizedOptions;
}

/** What every handler may use: the caller and the module's parts. */
export interface EndpointContext<RequireCredential extends boolean = true> extends ApiDependencies {
	me: RequireCredential extends true ? Caller : Caller | null;
}

/**
 * One endpoint's whole contract as data (Misskey `meta` + `paramDef` + handler in one place):
 * `limit` is a sliding window per caller; a handler resolving to undefined replies 204 with no body.
 */
export interface Endpoint<Params extends ObjectParamSchema = ObjectParamSchema, Result = unknown, RequireCredential extends boolean = boolean> {
	/** The path after `/api/`, e.g. `i/webhooks/create`. */
	name: string;
	kind: PermissionKind;
	requireCredential: RequireCredential;
	/** Only a user's own (native) token may call it: app tokens and anonymous callers get ACCESS_DENIED. */
	secure?: boolean;
	/** Only callers the host reports as moderators (or administrators) may call it: others get ROLE_PERMISSION_DENIED. */
	requireModerator?: boolean;
	limit?: { durationMs: number; max: number };
	/** JSON Schema of the body, validated by Ajv with `useDefaults` before the handler runs. */
	params: Params;
	/** The endpoint's own errors, declared here so the contract is complete in one place. */
	errors: Readonly<Record<string, ApiErrorDefinition>>;
	handler(params: FromSchema<Params>, ctx: EndpointContext<RequireCredential>): Promise<Result | undefined>;
}

/** Declares an endpoint with its param types inferred from the `as const` schema. */
export function defineEndpoint<const Params extends ObjectParamSchema, Result, const RequireCredential extends boolean>(
	endpoint: Endpoint<Params, Result, RequireCredential>,
): Endpoint<Params, Result, RequireCredential> {
	return endpoint;
}

/** Any endpoint, as the calling convention and the plugin handle them. */
// Params are contravariant in the handler: only `any` lets every concrete endpoint be one of these.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = Endpoint<any, unknown, boolean>;

/** The part of an endpoint's contract every moderators' endpoint shares: a moderator calling with their own (native) token. */
type ModeratorAccess = 'requireCredential' | 'requireModerator' | 'secure';

/** Declares a moderators' endpoint (`admin/*`): only a moderator's own token may call it, as Misskey's admin endpoints. */
export function defineModeratorEndpoint<const Params extends ObjectParamSchema, Result>(
	endpoint: Omit<Endpoint<Params, Result, true>, ModeratorAccess>,
): Endpoint<Params, Result, true> {
	return { ...endpoint, requireCredential: true, requireModerator: true, secure: true };
}
