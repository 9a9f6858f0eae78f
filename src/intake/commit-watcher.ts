import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/**
 * Learns when a host's transaction that holds intake rows commits, through a TypeORM subscriber on the host's
 * DataSource, and calls `onCommit` then (the relay is woken after commit, not before, when it could not see the rows).
 * A savepoint released inside an outer transaction is not a commit; a rollback forgets the transaction.
 */
export class CommitWatcher implements EntitySubscriberInterface {
	private readonly pending = new WeakSet<QueryRunner>();

	constructor(private readonly dataSource: DataSource, private readonly onCommit: () => void) {}

	/** Adds the watcher to the DataSource's subscribers. */
	attach(): void {
		(this.dataSource.subscribers as EntitySubscriberInterface[]).push(this);
	}

	detach(): void {
		const subscribers = this.dataSource.subscribers as EntitySubscriberInterface[];
		const index = subscribers.indexOf(this);
		if (index !== -1) subscribers.splice(index, 1);
	}

	/** An intake row was written through `runner`: wake at its commit, or now when it was not in a transaction. */
	written(runner: QueryRunner | undefined): void {
		if (runner?.isTransactionActive) this.pending.add(runner);
		else this.onCommit();
	}

	afterTransactionCommit(event: TransactionCommitEvent): void {
		const runner = event.queryRunner;
		if (!this.pending.has(runner) || runner.isTransactionActive) return;
		this.pending.delete(runner);
		this.onCommit();
	}

	afterTransactionRollback(event: TransactionRollbackEvent): void {
		if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
	}
}
