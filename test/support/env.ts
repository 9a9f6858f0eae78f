/** Where the suites find PostgreSQL and Redis; both are real services, never mocks. */

/** The name of a run's own database, before the pid of the process that runs mocha. */
export const TEST_DATABASE_PREFIX = 'misskey_webhooks_test_';
// Without TEST_DATABASE_URL, each run gets a database of its own, named after the process that started it, so two runs
// on one machine never empty each other's tables; child processes inherit the variable and so the same database.
process.env.TEST_DATABASE_URL ??= `postgres://postgres@127.0.0.1:5432/${TEST_DATABASE_PREFIX}${process.pid}`;
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** Test receivers listen on loopback, which the address guard refuses unless allowed: every suite that delivers passes this. */
export const testAllowedPrivateNetworks: readonly string[] = ['127.0.0.0/8', '::1/128'];
