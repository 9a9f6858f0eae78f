import type { HostLogger } from './server.js';

/**
 * Closes `running` on SIGINT or SIGTERM, then exits: 0 after a clean close, 1 when it failed. A second signal during
 * the close means "now" and exits at once.
 */
export function closeOnSignals(running: { close(): Promise<void> }, logger: HostLogger): void {
	let stopping = false;
	const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
		if (stopping) process.exit(1);
		stopping = true;
		logger.info(`${signal} received, shutting down`);
		try {
			await running.close();
			process.exit(0);
		} catch (error) {
			logger.error('shutdown failed', error);
			process.exit(1);
		}
	};
	process.on('SIGINT', (signal) => void shutdown(signal));
	process.on('SIGTERM', (signal) => void shutdown(signal));
}
