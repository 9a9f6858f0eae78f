import type { WebhookLogger } from '../core/logger.js';
import { describeError } from '../core/database-error.js';

/** Work a delivery started and did not await (recoveries, released host lines): closing waits for it, failures are logged. */
export class BackgroundWork {
	private readonly running = new Set<Promise<void>>();

	constructor(private readonly logger: WebhookLogger, private readonly kind: string, private readonly label: string) {}

	add(work: Promise<void>): void {
		const tracked = work
			.catch((error: unknown) => this.logger.warn({ kind: this.kind, error: describeError(error) }, `${this.label} recovery stopped`))
			.finally(() => this.running.delete(tracked));
		this.running.add(tracked);
	}

	async settled(): Promise<void> {
		await Promise.all([...this.running]);
	}
}
