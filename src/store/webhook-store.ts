import { Brackets, type DataSource, type Repository, type SelectQueryBuilder } from 'typeorm';
import { WebhookEntity } from './webhook.entity.js';
import { generateId } from './id.js';
import type { UserWebhookEventType } from '../events/catalogue.js';

/** The per-webhook delivery options an owner sets (issue 4 points 1, 5, 8); absent ones take the column defaults. */
export type WebhookDeliveryOptions = Partial<Pick<WebhookEntity, 'retryPolicy' | 'sendSecretHeader' | 'format' | 'excludeSpecifiedNotes' | 'excludeFollowersNotes'>>;

export interface NewWebhook extends WebhookDeliveryOptions {
	userId: string;
	name: string;
	url: string;
	secret: string;
	on: UserWebhookEventType[];
}

/** What an update may change: Misskey's columns, the delivery options, and the rotated-out secret (issue 4 point 2). */
export type WebhookChanges = Partial<Pick<WebhookEntity, 'name' | 'url' | 'secret' | 'on' | 'active' | 'previousSecret' | 'previousSecretExpiresAt'>>
	& WebhookDeliveryOptions;

/** What an owner's update came to: applied, no such webhook of theirs, or refused because a moderator paused it. */
export type OwnerUpdateOutcome =
	| { kind: 'updated'; row: WebhookEntity }
	| { kind: 'missing' }
	| { kind: 'pausedByModerator' };

/** The filters of `admin/webhooks/list` (issue 3 point 4); `limit` and the id bounds follow Misskey's pagination. */
export interface ModeratorWebhookFilters {
	userId?: string;
	active?: boolean;
	/** Misskey's status logic: failing = a last status other than 200, 201 or 204; not failing = never sent or one of those. */
	failing?: boolean;
	limit: number;
	sinceId?: string;
	untilId?: string;
}

/** The statuses Misskey's webhook lists show as a success (spec §12); anything else recorded counts as failing. */
export const successfulWebhookStatuses: readonly number[] = [200, 201, 204];

// A pause cleared: the row is back to Misskey's columns alone.
const notPaused = { pausedBy: null, pausedReason: null, pausedAt: null, pausedByUserId: null } as const;

// A new webhook has no rotated-out secret and no failure streak; set here so `create` returns the row as stored.
const noHistory = { previousSecret: null, previousSecretExpiresAt: null, failingSince: null } as const;

// Re-activating an inactive webhook starts its auto-disable record afresh (issue 4 point 6); an update of a webhook that
// is already on keeps its running failure streak. Judged on the row as it was, in the same statement.
const failureStreakOnActivation = { failingSince: () => `CASE WHEN "active" THEN "failingSince" ELSE NULL END` } as const;

/** Queries on the `webhook` table. Lookups by id always include the owner, so a foreign webhook looks missing (Misskey). */
export class WebhookStore {
	readonly repository: Repository<WebhookEntity>;

	constructor(dataSource: DataSource) {
		this.repository = dataSource.getRepository(WebhookEntity);
	}

	countByUser(userId: string): Promise<number> {
		return this.repository.countBy({ userId });
	}

	async create(input: NewWebhook): Promise<WebhookEntity> {
		const row = this.repository.create({ id: generateId(), ...input, active: true, latestSentAt: null, latestStatus: null, ...notPaused, ...noHistory });
		await this.repository.insert(row);
		return row;
	}

	listByUser(userId: string): Promise<WebhookEntity[]> {
		return this.repository.findBy({ userId });
	}

	findOwned(id: string, userId: string): Promise<WebhookEntity | null> {
		return this.repository.findOneBy({ id, userId });
	}

	/** Any user's webhook by id alone: only for moderators' endpoints. */
	findById(id: string): Promise<WebhookEntity | null> {
		return this.repository.findOneBy({ id });
	}

	/** Applies a partial update and returns the fresh row (null when the webhook is not the owner's). */
	async update(id: string, userId: string, changes: WebhookChanges): Promise<WebhookEntity | null> {
		if (Object.keys(changes).length > 0) await this.repository.update({ id, userId }, changes);
		return this.findOwned(id, userId);
	}

	/**
	 * The owner's update (issue 3 point 4): `active: true` is refused as a whole while a moderator's pause stands, checked
	 * in the same statement so a pause landing meanwhile is not overwritten; re-activating clears any other pause and the
	 * failure streak (`failingSince`, issue 4 point 6).
	 */
	async updateByOwner(id: string, userId: string, changes: WebhookChanges): Promise<OwnerUpdateOutcome> {
		const activating = changes.active === true;
		if (Object.keys(changes).length > 0) {
			const query = this.repository.createQueryBuilder()
				.update(WebhookEntity)
				.set(activating ? { ...changes, ...notPaused, ...failureStreakOnActivation } : changes)
				.where('"id" = :id AND "userId" = :userId', { id, userId });
			if (activating) query.andWhere(`"pausedBy" IS DISTINCT FROM 'moderator'`);
			const { affected } = await query.execute();
			// Nothing matched: the webhook is not the owner's, or (only when activating) a moderator's pause stands.
			if (affected === 0) return (await this.findOwned(id, userId)) ? { kind: 'pausedByModerator' } : { kind: 'missing' };
		}
		const row = await this.findOwned(id, userId);
		return row ? { kind: 'updated', row } : { kind: 'missing' };
	}

	/** Pauses any user's webhook as a moderator; returns the fresh row, or null when there is none. */
	async pauseByModerator(id: string, moderatorId: string, reason: string | null, now: Date = new Date()): Promise<WebhookEntity | null> {
		await this.repository.update({ id }, { active: false, pausedBy: 'moderator', pausedReason: reason, pausedAt: now, pausedByUserId: moderatorId });
		return this.findById(id);
	}

	/** Clears whatever pause (and, when it was off, failure streak) a webhook has and re-activates it, as a moderator; the fresh row, or null. */
	async resumeByModerator(id: string): Promise<WebhookEntity | null> {
		await this.repository.update({ id }, { active: true, ...notPaused, ...failureStreakOnActivation });
		return this.findById(id);
	}

	/** Every user's webhooks matching the filters, newest first (by id); see `ModeratorWebhookFilters`. */
	async listForModerators(filters: ModeratorWebhookFilters): Promise<WebhookEntity[]> {
		const query = this.repository.createQueryBuilder('webhook');
		if (filters.userId !== undefined) query.andWhere('webhook.userId = :userId', { userId: filters.userId });
		if (filters.active !== undefined) query.andWhere('webhook.active = :active', { active: filters.active });
		if (filters.failing !== undefined) query.andWhere(failingCondition(filters.failing));
		const ascending = paginate(query, filters);
		const rows = await query.limit(filters.limit).getMany();
		// Misskey hands out the page just above a lone `sinceId` oldest first; we hand out every page newest first.
		return ascending ? rows.reverse() : rows;
	}

	/** Deletes and returns the row as it was, or null when there was none. */
	async delete(id: string, userId: string): Promise<WebhookEntity | null> {
		const row = await this.findOwned(id, userId);
		if (row) await this.repository.delete({ id, userId });
		return row;
	}

	/** Deletes every webhook of a user and returns them, so the registry can forget them (Misskey's FK cascade never told its caches). */
	async deleteByUser(userId: string): Promise<WebhookEntity[]> {
		const rows = await this.listByUser(userId);
		if (rows.length > 0) await this.repository.delete({ userId });
		return rows;
	}

	listActive(): Promise<WebhookEntity[]> {
		return this.repository.findBy({ active: true });
	}
}

function failingCondition(failing: boolean): Brackets {
	return new Brackets((where) => {
		if (failing) {
			where.where('webhook.latestStatus IS NOT NULL').andWhere('webhook.latestStatus NOT IN (:...successful)', { successful: successfulWebhookStatuses });
		} else {
			where.where('webhook.latestStatus IS NULL').orWhere('webhook.latestStatus IN (:...successful)', { successful: successfulWebhookStatuses });
		}
	});
}

// Misskey's makePaginationQuery: sinceId → ids above it, nearest first (ascending); untilId → ids below it, nearest first
// (descending); both → between, descending; neither → newest first. Returns whether the query ascends.
function paginate(query: SelectQueryBuilder<WebhookEntity>, bounds: { sinceId?: string; untilId?: string }): boolean {
	if (bounds.sinceId !== undefined) query.andWhere('webhook.id > :sinceId', { sinceId: bounds.sinceId });
	if (bounds.untilId !== undefined) query.andWhere('webhook.id < :untilId', { untilId: bounds.untilId });
	const ascending = bounds.sinceId !== undefined && bounds.untilId === undefined;
	query.orderBy('webhook.id', ascending ? 'ASC' : 'DESC');
	return ascending;
}
