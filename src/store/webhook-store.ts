import type { DataSource, Repository } from 'typeorm';
import { WebhookEntity } from './webhook.entity.js';
import { generateId } from './id.js';
import type { UserWebhookEventType } from '../events/catalogue.js';

export interface NewWebhook {
	userId: string;
	name: string;
	url: string;
	secret: string;
	on: UserWebhookEventType[];
}

export type WebhookChanges = Partial<Pick<WebhookEntity, 'name' | 'url' | 'secret' | 'on' | 'active'>>;

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
		const row = this.repository.create({ id: generateId(), ...input, active: true, latestSentAt: null, latestStatus: null });
		await this.repository.insert(row);
		return row;
	}

	listByUser(userId: string): Promise<WebhookEntity[]> {
		return this.repository.findBy({ userId });
	}

	findOwned(id: string, userId: string): Promise<WebhookEntity | null> {
		return this.repository.findOneBy({ id, userId });
	}

	/** Applies a partial update and returns the fresh row (null when the webhook is not the owner's). */
	async update(id: string, userId: string, changes: WebhookChanges): Promise<WebhookEntity | null> {
		if (Object.keys(changes).length > 0) await this.repository.update({ id, userId }, changes);
		return this.findOwned(id, userId);
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
