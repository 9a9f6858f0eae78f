import { parseHostConfig } from './config.js';
import { startWorkerHost, type HostLogger } from './server.js';

// The reference host's worker process (`npm run worker`): the webhook module's delivery workers and housekeeping, no
// HTTP server. Run any number beside `npm start` (or beside web processes started with WEBHOOK_WORKERS=off); they
// share the queue through Redis and the outbox through PostgreSQL. Same environment as main.ts (PORT and HOST unused).

const logger: HostLogger = {
	info: (message) => console.log(`[worker] ${message}`),
	error: (message, error) => console.error(`[worker] ${message}:`, error),
};

const parsed = parseHostConfig(process.env);
if (!parsed.ok) {
	for (const problem of parsed.problems) console.error(`[worker] configuration error: ${problem}`);
	process.exit(1);
}

const running = await startWorkerHost(parsed.config, logger).catch((error: unknown) => {
	logger.error('could not start', error);
	return process.exit(1);
});
logger.info(`misskey-webhooks workers running (pid ${process.pid})`);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
	// A second signal means "now": skip the clean shutdown.
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
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
