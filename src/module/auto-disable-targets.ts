import { In, type DataSource, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { NormalizedOptions } from '../config/options.js';
import type { HostAdapter } from '../host.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import { WebhookEntity } from '../store/webhook.entity.js';
import { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { DisabledUserWebhook } from '../intake/user-webhook-disabled.js';
import type { WebhookLogger } from '../core/logger.js';
import type { WebhookKindName } from '../core/webhook-kind.js';
import { describeError } from '../core/database-error.js';
import { redactWebhookUrl } from '../core/redact-url.js';
import { AutoDisableRecorder, type AutoDisableTarget, type AutomaticPause } from '../delivery/auto-disable/auto-disable.js';

/** What either target needs after a pause. */
interface PauseDependencies {
	dataSource: DataSource;
	logger: WebhookLogger;
	/** Told of each pause (metrics); it observes and decides nothing. */
	onPaused?: (pause: AutomaticPause) => void;
}

/** What the user target does after a pause; each step runs even when an earlier one failed. */
export interface UserPauseDependencies extends PauseDependencies {
	registry: Pick<WebhookRegistry, 'announce'>;
	host: Pick<HostAdapter, 'notifyWebhookDisabled'>;
	/** Raises the system event `userWebhookDisabled` (see events/user-webhook-disabled.ts). */
	announceDisabled: (disabled: DisabledUserWebhook) => Promise<void>;
}

/**
 * User webhooks for auto-disable: table `webhook`, switched on by `active`. A pause announces
 * `webhookUpdated` (every process stops matching it), tells the owner through `host.notifyWebhookDisabled` and the
 * moderators through `userWebhookDisabled`; the secret reaches neither.
 */
export function userAutoDisableTarget(deps: UserPauseDependencies): AutoDisableTarget {
	return pauseTarget(deps, WebhookEntity, { kind: 'user', table: 'webhook', activeColumn: 'active' }, async (rows, paused) => {
		for (const pause of paused) {
			const row = rows.find((candidate) => candidate.id === pause.id);
			// Deleted since the pause: no process matches it any more and there is nobody left to tell.
			if (!row) continue;
			const webhook = { id: row.id, name: row.name, url: row.url };
			await step(deps.logger, row.id, 'announcing the webhook', () => deps.registry.announce('webhookUpdated', row));
			await step(deps.logger, row.id, 'notifying the owner', async () => deps.host.notifyWebhookDisabled?.(row.userId, webhook, pause.reason));
			// Moderators' receivers (often a chat channel) get the URL without what may be its credential.
			await step(deps.logger, row.id, 'raising userWebhookDisabled', () => deps.announceDisabled({
				webhook: { ...webhook, url: redactWebhookUrl(row.url), userId: row.userId },
				reason: pause.reason,
				pausedBy: pause.cause,
			}));
		}
	});
}

/** What the system target does after a pause. */
export interface SystemPauseDependencies extends PauseDependencies {
	registry: Pick<WebhookRegistry, 'announceSystem'>;
}

/**
 * System webhooks for auto-disable (applied to system webhooks too): table `system_webhook`, switched
 * on by `isActive`. A pause announces `systemWebhookUpdated`; it has no owner to tell, and its cause stays on the row.
 */
export function systemAutoDisableTarget(deps: SystemPauseDependencies): AutoDisableTarget {
	return pauseTarget(deps, SystemWebhookEntity, { kind: 'system', table: 'system_webhook', activeColumn: 'isActive' }, async (rows) => {
		for (const row of rows) {
			await step(deps.logger, row.id, 'announcing the system webhook', () => deps.registry.announceSystem('systemWebhookUpdated', row));
		}
	});
}

/** A target whose pauses are logged and observed, then announced with the paused webhooks' rows as they are now. */
function pauseTarget<Row extends { id: string }>(
	deps: PauseDependencies,
	entity: EntityTarget<Row>,
	table: Omit<AutoDisableTarget, 'afterPause'>,
	announce: (rows: readonly Row[], paused: readonly AutomaticPause[]) => Promise<void>,
): AutoDisableTarget {
	const repository = deps.dataSource.getRepository(entity);
	return {
		...table,
		async afterPause(paused) {
			reportPauses(deps, table.kind, paused);
			const rows = await repository.findBy({ id: In(paused.map((pause) => pause.id)) } as FindOptionsWhere<Row>);
			await announce(rows, paused);
		},
	};
}

/** What either recorder needs; `now` is the clock that judges the window (tests inject it). */
export interface AutoDisableRecorderCommon {
	dataSource: DataSource;
	options: Pick<NormalizedOptions, 'autoDisableAfterMs'>;
	logger: WebhookLogger;
	now?: () => number;
}

/** The auto-disable recorder of user webhooks: hand it to the user delivery as an extra recorder. */
export function createUserAutoDisableRecorder(input: AutoDisableRecorderCommon & Omit<UserPauseDependencies, 'dataSource' | 'logger'>): AutoDisableRecorder {
	return new AutoDisableRecorder({ ...recorderInput(input), target: userAutoDisableTarget(input) });
}

/** The auto-disable recorder of system webhooks, the same rule: hand it to the system delivery. */
export function createSystemAutoDisableRecorder(input: AutoDisableRecorderCommon & Omit<SystemPauseDependencies, 'dataSource' | 'logger'>): AutoDisableRecorder {
	return new AutoDisableRecorder({ ...recorderInput(input), target: systemAutoDisableTarget(input) });
}

function recorderInput(input: AutoDisableRecorderCommon) {
	return { dataSource: input.dataSource, autoDisableAfterMs: input.options.autoDisableAfterMs, logger: input.logger, ...(input.now ? { now: input.now } : {}) };
}

function reportPauses(deps: PauseDependencies, kind: WebhookKindName, paused: readonly AutomaticPause[]): void {
	for (const pause of paused) {
		deps.logger.warn({ kind, webhookId: pause.id, cause: pause.cause }, 'webhook paused automatically');
		try {
			deps.onPaused?.(pause);
		} catch (error) {
			deps.logger.error({ kind, webhookId: pause.id, error: describeError(error) }, 'pause observer failed');
		}
	}
}

async function step(logger: WebhookLogger, webhookId: string, what: string, run: () => Promise<unknown>): Promise<void> {
	try {
		await run();
	} catch (error) {
		logger.warn({ webhookId, error: describeError(error) }, `auto-disable: ${what} failed`);
	}
}
