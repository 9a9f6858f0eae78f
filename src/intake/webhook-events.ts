import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { WebhookLogger } from '../core/logger.js';
import { describeError, isTransientDatabaseError } from '../core/database-error.js';
import type { FollowCreatedEvent, FollowDeletedEvent, FollowRequestAcceptedEvent, FollowRequestCreatedEvent, FollowRequestRejectedEvent, NoteCreatedEvent, NoteDeletedEvent, NoteEditedEvent, ReactionCreatedEvent } from '../events/host-event-types.js';
import type { AbuseReportEvent, InactiveModeratorsWarningEvent, UserCreatedEvent } from '../events/system-event-types.js';
import type { IntakeStore } from './intake-store.js';
import type { WebhookEventName } from '../events/catalogue.js';
import { describePlanFailure, type EventPlan } from './event-planner.js';
import type { OutboxSink } from './outbox-sink.js';
import { PACKING_RETRY_MAX_MS, packingRetryDelayMs } from './intake-relay.js';

/** How an event is raised. */
export interface RaiseOptions {
	/**
	 * The host's open transaction (an `EntityManager` from `dataSource.transaction(...)`, or a `QueryRunner` with a
	 * transaction started) on the module's own DataSource: the event is written into it, so it is committed if and only
	 * if the host's write is. The call then rejects if that write fails, so the host's transaction fails with it.
	 */
	transaction?: EntityManager | QueryRunner;
}

/**
 * The events a host raises (user events and system events). Without `transaction`, each resolves once the deliveries
 * are queued and never rejects, so the host need not await it. With `transaction`, it resolves once the event is in the
 * transaction (one INSERT); its deliveries are made after commit, by the intake relay of a worker process.
 */
export interface WebhookEvents {
	noteCreated(event: NoteCreatedEvent, options?: RaiseOptions): Promise<void>;
	/** Also on the acceptance of a pending follow request. */
	followCreated(event: FollowCreatedEvent, options?: RaiseOptions): Promise<void>;
	/** The follower unfollowed (`initiatedBy: 'follower'`), or the followee removed the follower or a block ended it. */
	followDeleted(event: FollowDeletedEvent, options?: RaiseOptions): Promise<void>;
	followRequestRejected(event: FollowRequestRejectedEvent, options?: RaiseOptions): Promise<void>;
	reactionCreated(event: ReactionCreatedEvent, options?: RaiseOptions): Promise<void>;
	/** An author edited a note (servers that edit notes): raises `noteEdited` to the author. */
	noteEdited(event: NoteEditedEvent, options?: RaiseOptions): Promise<void>;
	/** A note was deleted, by its author or a moderator (Misskey `NoteDeleteService.delete`): raises `noteDeleted` to the author. */
	noteDeleted(event: NoteDeletedEvent, options?: RaiseOptions): Promise<void>;
	/** Someone asked to follow a locked account (Misskey `createFollowRequest`): raises `followRequestReceived` to the followee. */
	followRequestCreated(event: FollowRequestCreatedEvent, options?: RaiseOptions): Promise<void>;
	/**
	 * The followee accepted a follow request (Misskey `acceptFollowRequest`): raises `followRequestAccepted` to the
	 * requester. Raise `followCreated` for the follow it creates as well.
	 */
	followRequestAccepted(event: FollowRequestAcceptedEvent, options?: RaiseOptions): Promise<void>;
	/** A user filed a report (Misskey `AbuseReportService.report`): one call per report. */
	abuseReport(report: AbuseReportEvent, options?: RaiseOptions): Promise<void>;
	/** A moderator resolved a report (Misskey `AbuseReportService.resolve`): pass the row as re-read after the update. */
	abuseReportResolved(report: AbuseReportEvent, options?: RaiseOptions): Promise<void>;
	/** A rule of the server, not a moderator, resolved a report: pass the row as re-read after the update. */
	abuseReportAutoResolved(report: AbuseReportEvent, options?: RaiseOptions): Promise<void>;
	/** A local account was created (signup, or an administrator's `admin/accounts/create`). */
	userCreated(user: UserCreatedEvent, options?: RaiseOptions): Promise<void>;
	/** The hourly check found every moderator inactive and registration closes soon. */
	inactiveModeratorsWarning(event: InactiveModeratorsWarningEvent, options?: RaiseOptions): Promise<void>;
	/** The hourly check switched the server to invitation-only. */
	inactiveModeratorsInvitationOnlyChanged(options?: RaiseOptions): Promise<void>;
}

export interface WebhookEventsDependencies {
	dataSource: DataSource;
	plan(name: WebhookEventName, payload: unknown): Promise<EventPlan>;
	sink: Pick<OutboxSink, 'enqueue'>;
	intake: Pick<IntakeStore, 'insert'>;
	/** Told of every intake row written: `runner` is the transaction it was written in (none: committed already). */
	written(runner: QueryRunner | undefined): void;
	logger: WebhookLogger;
	/** How long an event raised without a transaction may wait in memory for PostgreSQL to take it into the intake. */
	parkingLimitMs?: number;
}

// An event raised without a transaction whose bodies could not be packed is parked in the intake for the relay; while
// PostgreSQL cannot take it either, this process keeps it for up to this long.
const DEFAULT_PARKING_LIMIT_MS = 10 * 60 * 1000;

/** The `events` of the module: straight to the queue, or into the host's transaction for the relay. */
export function createWebhookEvents(deps: WebhookEventsDependencies): WebhookEvents {
	const parkingLimitMs = deps.parkingLimitMs ?? DEFAULT_PARKING_LIMIT_MS;

	async function inTransaction(name: WebhookEventName, payload: unknown, transaction: EntityManager | QueryRunner): Promise<void> {
		const isRunner = 'manager' in transaction && 'startTransaction' in transaction;
		const runner = isRunner ? (transaction as QueryRunner) : (transaction as EntityManager).queryRunner;
		const connection = isRunner ? (transaction as QueryRunner).connection : (transaction as EntityManager).connection;
		if (connection !== deps.dataSource) throw new TypeError(`${name}: options.transaction must belong to the DataSource the webhook module was created with`);
		await deps.intake.insert(name, serialize(name, payload), transaction);
		deps.written(runner);
	}

	// Parks the raw event in the intake (on its own, committed at once), trying again while PostgreSQL is away.
	async function park(name: WebhookEventName, payloadText: string, why: string): Promise<void> {
		const since = Date.now();
		for (let tries = 0; ; tries++) {
			try {
				await deps.intake.insert(name, payloadText);
				deps.written(undefined);
				return;
			} catch (error) {
				if (!isTransientDatabaseError(error) || Date.now() - since > parkingLimitMs) {
					deps.logger.error({ event: name, packing: why, error: describeError(error), payload: payloadText.slice(0, 500) }, 'event lost: it could neither be packed nor kept in the intake');
					return;
				}
				await new Promise((resolve) => setTimeout(resolve, Math.min(packingRetryDelayMs(tries), PACKING_RETRY_MAX_MS)));
			}
		}
	}

	async function now(name: WebhookEventName, payload: unknown): Promise<void> {
		try {
			const plan = await deps.plan(name, payload);
			if (plan.kind === 'retry') {
				const why = describePlanFailure(plan.failure);
				deps.logger.warn({ event: name, reason: why }, 'event not packed yet; it waits in the intake for the relay');
				await park(name, serialize(name, payload), why);
				return;
			}
			for (const failure of plan.dropped) deps.logger.warn({ event: name, reason: describePlanFailure(failure) }, 'event given up for this recipient');
			await deps.sink.enqueue(plan.deliveries);
		} catch (error) {
			deps.logger.warn({ event: name, error: describeError(error) }, 'event failed');
		}
	}

	const raise = (name: WebhookEventName, payload: unknown, options: RaiseOptions | undefined): Promise<void> =>
		options?.transaction ? inTransaction(name, payload, options.transaction) : now(name, payload);

	return {
		noteCreated: (event, options) => raise('noteCreated', event, options),
		followCreated: (event, options) => raise('followCreated', event, options),
		followDeleted: (event, options) => raise('followDeleted', event, options),
		followRequestRejected: (event, options) => raise('followRequestRejected', event, options),
		reactionCreated: (event, options) => raise('reactionCreated', event, options),
		noteEdited: (event, options) => raise('noteEdited', event, options),
		noteDeleted: (event, options) => raise('noteDeleted', event, options),
		followRequestCreated: (event, options) => raise('followRequestCreated', event, options),
		followRequestAccepted: (event, options) => raise('followRequestAccepted', event, options),
		abuseReport: (report, options) => raise('abuseReport', report, options),
		abuseReportResolved: (report, options) => raise('abuseReportResolved', report, options),
		abuseReportAutoResolved: (report, options) => raise('abuseReportAutoResolved', report, options),
		userCreated: (user, options) => raise('userCreated', user, options),
		inactiveModeratorsWarning: (event, options) => raise('inactiveModeratorsWarning', event, options),
		inactiveModeratorsInvitationOnlyChanged: (options) => raise('inactiveModeratorsInvitationOnlyChanged', undefined, options),
	};
}

function serialize(name: WebhookEventName, payload: unknown): string {
	if (payload !== undefined && (typeof payload !== 'object' || payload === null)) throw new TypeError(`${name}: the event must be an object`);
	return JSON.stringify(payload ?? null);
}
