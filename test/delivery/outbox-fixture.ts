import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import { WebhookDeliveryEntity } from '../../src/store/webhook-delivery.entity.js';
import { WebhookDeliveryAttemptEntity } from '../../src/store/webhook-delivery-attempt.entity.js';
import { eventually as until } from '../support/eventually.js';
import { aroundStatements } from '../support/statements.js';

/** A webhook's outbox rows, oldest first. */
export function deliveryRowsOf(dataSource: DataSource, webhookId: string): Promise<WebhookDeliveryEntity[]> {
	return dataSource.getRepository(WebhookDeliveryEntity).find({ where: { webhookId }, order: { id: 'ASC' } });
}

/** A delivery's attempt rows, first to last. */
export function attemptRowsOf(dataSource: DataSource, deliveryId: string): Promise<WebhookDeliveryAttemptEntity[]> {
	return dataSource.getRepository(WebhookDeliveryAttemptEntity).find({ where: { deliveryId }, order: { number: 'ASC', id: 'ASC' } });
}

export { eventually as until } from '../support/eventually.js';

/** A webhook's single outbox row once its status is `status`. */
export async function deliveryRowOnce(dataSource: DataSource, webhookId: string, status: WebhookDeliveryEntity['status'], timeoutMs = 5000): Promise<WebhookDeliveryEntity> {
	const rows = await until(() => deliveryRowsOf(dataSource, webhookId), (found) => found.length === 1 && found[0].status === status, timeoutMs);
	return rows[0];
}

/** Counts the statements sent through `dataSource.query` whose SQL matches `pattern` while `during` runs. */
export async function countStatements(dataSource: DataSource, pattern: RegExp, during: () => Promise<void>): Promise<number> {
	let count = 0;
	const undo = aroundStatements(dataSource, (text, send) => {
		if (pattern.test(text)) count++;
		return send();
	});
	try {
		await during();
	} finally {
		undo();
	}
	return count;
}

/** The Bull key prefix a queue was made with (option `queuePrefix`); Bull keeps it, though its types do not say so. */
export function queuePrefixOf(queue: Bull.Queue<any>): string {
	return (queue as unknown as { keyPrefix: string }).keyPrefix;
}
