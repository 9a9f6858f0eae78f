/** Where the suites find PostgreSQL and Redis; both are real services, never mocks. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/misskey_webhooks_test';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** Test receivers listen on loopback, which the address guard refuses unless allowed: every suite that delivers passes this. */
export const testAllowedPrivateNetworks: readonly string[] = ['127.0.0.0/8', '::1/128'];
