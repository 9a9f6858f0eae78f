import { parseHostConfig } from './config.js';
import { startHost, type HostLogger } from './server.js';
import { closeOnSignals } from './shutdown.js';

// The reference host's entry point (`npm start`): configuration from the environment, see README.md.

const logger: HostLogger = {
	info: (message) => console.log(`[host] ${message}`),
	error: (message, error) => console.error(`[host] ${message}:`, error),
};

const parsed = parseHostConfig(process.env);
if (!parsed.ok) {
	for (const problem of parsed.problems) console.error(`[host] configuration error: ${problem}`);
	process.exit(1);
}
const { config } = parsed;

const running = await startHost(config, logger).catch((error: unknown) => {
	logger.error('could not start', error);
	return process.exit(1);
});
logger.info(`misskey-webhooks reference host listening on ${running.listenUrl} (server ${config.serverUrl})`);

closeOnSignals(running, logger);
