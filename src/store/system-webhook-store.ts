import type { DataSource, Repository } from 'typeorm';
import { SystemWebhookEntity } from './system-webhook.entity.js';
import { generateId } from './id.js';
import type { SystemWebhookEventType } from '../events/catalogue.js';
import { unsetOptionsOf, type WebhookOptionValues } from '../core/webhook-options.js';

/** The per-webhook options a moderator sets; absent ones take the column defaults. */
export type SystemWebhookDeliveryOptions = Partial<WebhookOptionValues<'system'>>;

/** A system webhook as a moderator creates it (`admin/system-webhook/create`). */
export interface NewSystemWebhook extends SystemWebhookDeliveryOptions {
	isActive: boolean;
	name: string;
	on: SystemWebhookEventType[];
	url: string;
	secret: string;
}

/**
 * What `admin/system-webhook/update` may change; an absent `secret` keeps the stored one (we do not copy Misskey's wipe).
 * A changed secret comes with the rotated-out one.
 */
export type SystemWebhookChanges = Partial<Pick<SystemWebhookEntity, 'isActive' | 'name' | 'on' | 'url' | 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>>
	& SystemWebhookDeliveryOptions;

/** The filters of `admin/system-webhook/list`: `on` keeps rows subscribed to every given type. */
export interface SystemWebhookFilters {
	isActive?: boolean;
	on?: readonly SystemWebhookEventType[];
}

// Judged on the row as it was, in the same statement: a webhook already on keeps its running failure streak.
const pauseClearedOnActivation = {
	pausedBy: null,
	pausedReason: null,
	pausedAt: null,
	failingSince: () => `CASE WHEN "isActive" THEN "failingSince" ELSE NULL END`,
} as const;

// A new webhook has no rotated-out secret, failure streak or pause; set here so `create` returns the row as stored.
const noHistory = { previousSecret: null, previousSecretExpiresAt: null, failingSince: null, pausedBy: null, pausedReason: null, pausedAt: null } as const;

/** Queries on the `system_webhook` table (Misskey `SystemWebhookService`'s reads and writes). */
export class SystemWebhookStore {
	readonly repository: Repository<SystemWebhookEntity>;

	constructor(dataSource: DataSource) {
		this.repository = dataSource.getRepository(SystemWebhookEntity);
	}

	/** Inserts a new row, `updatedAt` = now and no status yet, and returns it. */
	async create(input: NewSystemWebhook): Promise<SystemWebhookEntity> {
		const row = this.repository.create({ id: generateId(), ...unsetOptionsOf('system'), ...input, updatedAt: new Date(), latestSentAt: null, latestStatus: null, ...noHistory });
		await this.repository.insert(row);
		return row;
	}

	findById(id: string): Promise<SystemWebhookEntity | null> {
		return this.repository.findOneBy({ id });
	}

	/** Rows matching the filters, by id ascending; `on` uses the GIN index (Misskey: `:on <@ "on"`). */
	list(filters: SystemWebhookFilters = {}): Promise<SystemWebhookEntity[]> {
		const query = this.repository.createQueryBuilder('webhook').orderBy('webhook.id', 'ASC');
		if (filters.isActive !== undefined) query.andWhere('webhook.isActive = :isActive', { isActive: filters.isActive });
		if (filters.on !== undefined && filters.on.length > 0) query.andWhere('webhook.on @> :on::varchar[]', { on: [...filters.on] });
		return query.getMany();
	}

	/**
	 * Applies the changes with `updatedAt` = now and returns the fresh row, or null when there is no such webhook.
	 * `isActive: true` clears the module's pause, and re-activating an inactive webhook starts its failure streak afresh
	 *.
	 */
	async update(id: string, changes: SystemWebhookChanges): Promise<SystemWebhookEntity | null> {
		const result = await this.repository.update({ id }, { ...changes, ...(changes.isActive === true ? pauseClearedOnActivation : {}), updatedAt: new Date() });
		if (!result.affected) return null;
		return this.findById(id);
	}

	/** Deletes and returns the row as it was, or null when there was none. */
	async delete(id: string): Promise<SystemWebhookEntity | null> {
		const row = await this.findById(id);
		if (row) await this.repository.delete({ id });
		return row;
	}

	/** Every active system webhook, for the registry's initial load (Misskey `fetchActiveSystemWebhooks`). */
	listActive(): Promise<SystemWebhookEntity[]> {
		return this.repository.findBy({ isActive: true });
	}
}
