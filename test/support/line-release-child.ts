import Bull from 'bull';
import { releaseHostLine } from '../../src/delivery/queue/deferral.js';

// A worker process that releases one receiver's line and is killed by the test while it runs: argv is the Redis URL,
// the queue prefix and the receiver's host.
const [redisUrl, prefix, host] = process.argv.slice(2);
if (!redisUrl || !prefix || !host) throw new Error('usage: line-release-child.ts <redis url> <queue prefix> <host>');
const queue = new Bull('userWebhookDeliver', redisUrl, { prefix });
await queue.isReady();
process.send?.('releasing');
await releaseHostLine(queue, host);
process.send?.('released');
