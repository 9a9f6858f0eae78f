import { parseHostConfig } from './config.js';
import { startWorkerHost, type HostLogger } from './server.js';
import { closeOnSignals } from './shutdown.js';

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

closeOnSignals(running, logger);
