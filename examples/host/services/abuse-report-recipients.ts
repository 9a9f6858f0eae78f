import { In, IsNull, Not, type DataSource, type Repository } from 'typeorm';
import { AbuseReportNotificationRecipientEntity, type AbuseReportRecipientMethod, type UserEntity } from '../entities/index.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import type { ModerationLogService } from './moderation-log.js';
import type { UserService } from './users.js';

/** What a moderator sets on a recipient (Misskey's create and update params). */
export interface RecipientInput {
	isActive: boolean;
	name: string;
	method: AbuseReportRecipientMethod;
	userId?: string;
	systemWebhookId?: string;
}

/** Why a recipient is refused (Misskey's errors, and this host's own for a system webhook that does not exist). */
export type RecipientRefusal = 'correlationCheckEmail' | 'correlationCheckWebhook' | 'emailAddressNotSet' | 'noSuchSystemWebhook';

/** A recipient as Misskey's `AbuseReportNotificationRecipient`, without the packed `user` and `systemWebhook`. */
export function packRecipient(recipient: AbuseReportNotificationRecipientEntity) {
	return {
		id: recipient.id,
		isActive: recipient.isActive,
		updatedAt: recipient.updatedAt.toISOString(),
		name: recipient.name,
		method: recipient.method,
		userId: recipient.userId ?? undefined,
		systemWebhookId: recipient.systemWebhookId ?? undefined,
	};
}

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Abuse-report notification recipients (Misskey `AbuseReportNotificationService`): the webhook module asks which system
 * webhooks inactive ones name, and leaves those out of its abuse-report events. This host sends no e-mail, so no
 * recipient of method `email` can be set up here (no account has an address).
 */
export class AbuseReportRecipientService {
	private readonly recipients: Repository<AbuseReportNotificationRecipientEntity>;

	constructor(dataSource: DataSource, private readonly userService: UserService, private readonly moderationLog: ModerationLogService) {
		this.recipients = dataSource.getRepository(AbuseReportNotificationRecipientEntity);
	}

	async create(moderator: UserEntity, input: RecipientInput): Promise<Outcome<AbuseReportNotificationRecipientEntity, RecipientRefusal>> {
		const columns = await this.columnsOf(input);
		if (!columns.ok) return columns;
		const id = generateHostId();
		const inserted = await this.written(() => this.recipients.insert({ id, ...columns.value }));
		if (!inserted.ok) return inserted;
		const created = await this.recipients.findOneByOrFail({ id });
		await this.moderationLog.log(moderator.id, 'createAbuseReportNotificationRecipient', { recipientId: id, recipient: created });
		return succeeded(created);
	}

	async update(moderator: UserEntity, id: string, input: RecipientInput): Promise<Outcome<AbuseReportNotificationRecipientEntity, RecipientRefusal | 'noSuchRecipient'>> {
		const before = await this.recipients.findOneBy({ id });
		if (!before) return refused('noSuchRecipient');
		const columns = await this.columnsOf(input);
		if (!columns.ok) return columns;
		const updated = await this.written(() => this.recipients.update(id, { ...columns.value, updatedAt: new Date() }));
		if (!updated.ok) return updated;
		const after = await this.recipients.findOneBy({ id });
		if (!after) return refused('noSuchRecipient');
		await this.moderationLog.log(moderator.id, 'updateAbuseReportNotificationRecipient', { recipientId: id, before, after });
		return succeeded(after);
	}

	/** Deletes the recipient; an unknown id is not an error (Misskey). */
	async delete(moderator: UserEntity, id: string): Promise<void> {
		const gone = await this.recipients.findBy({ id });
		await this.recipients.delete({ id });
		await this.moderationLog.log(moderator.id, 'deleteAbuseReportNotificationRecipient', { recipientId: id, recipient: gone });
	}

	/** Every recipient, or those of the given methods, sorted by id. */
	list(methods?: readonly AbuseReportRecipientMethod[]): Promise<AbuseReportNotificationRecipientEntity[]> {
		return this.recipients.find({ where: methods === undefined ? {} : { method: In([...methods]) }, order: { id: 'ASC' } });
	}

	findById(id: string): Promise<AbuseReportNotificationRecipientEntity | null> {
		return this.recipients.findOneBy({ id });
	}

	/** The system webhooks that inactive `webhook` recipients name: what the webhook module leaves out of abuse-report events. */
	async inactiveWebhookIds(): Promise<string[]> {
		const rows = await this.recipients.find({ select: { systemWebhookId: true }, where: { method: 'webhook', userId: IsNull(), isActive: false, systemWebhookId: Not(IsNull()) } });
		return rows.map((row) => row.systemWebhookId).filter((id): id is string => id !== null);
	}

	// Misskey keeps only the field the method uses: `userId` for e-mail, `systemWebhookId` for a webhook.
	private async columnsOf(input: RecipientInput): Promise<Outcome<Omit<AbuseReportNotificationRecipientEntity, 'id' | 'updatedAt'>, RecipientRefusal>> {
		if (input.method === 'email') {
			if (input.userId === undefined || !(await this.userService.findById(input.userId))) return refused('correlationCheckEmail');
			return refused('emailAddressNotSet');
		}
		if (input.systemWebhookId === undefined) return refused('correlationCheckWebhook');
		return succeeded({ isActive: input.isActive, name: input.name, method: input.method, userId: null, systemWebhookId: input.systemWebhookId });
	}

	// The foreign key to `system_webhook` is what tells a system webhook that does not exist.
	private async written(write: () => Promise<unknown>): Promise<Outcome<true, 'noSuchSystemWebhook'>> {
		try {
			await write();
			return succeeded(true);
		} catch (error) {
			if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return refused('noSuchSystemWebhook');
			throw error;
		}
	}
}
