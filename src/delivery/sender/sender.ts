import { TimeoutError, type Got } from 'got';
import type { NormalizedOptions } from '../../config/options.js';
import type { DeliveryAgents } from './agents.js';
import { createDeliveryHttpClient } from './http-client.js';
import type { WebhookDeliverJobData } from '../job/job-data.js';
import type { SendResult } from '../retry/send-result.js';
import { buildWebhookEnvelope, deliveryHeaders } from './envelope.js';
import { blockedAddressOf } from '../guard/address-guard-error.js';
import type { CurrentSecretsLookup } from '../job/current-secrets.js';
import { jobWithSecretsInForce } from './attempt-secrets.js';
import { chatRequestOf } from '../format/delivery-body.js';
import { classifyAddress } from '../guard/address-guard.js';
import { templateBodyOf } from '../format/template/template-body.js';
import { TEMPLATE_ERROR_CLASS } from '../retry/outcome.js';

/** Response bytes read before the connection is dropped: enough to keep a small reply's socket for reuse. */
export const RESPONSE_READ_LIMIT_BYTES = 64 * 1024;

/** Response bytes kept for the attempt log (the first 2 KB of the body). */
export const RESPONSE_BODY_PREFIX_BYTES = 2048;

/**
 * POSTs user and system webhook envelopes. One attempt per call: no redirects followed, no retries,
 * bounded by `requestTimeoutMs`. Whatever the receiver does, the result is data, never a throw.
 */
export class WebhookSender {
	private readonly client: Got;
	private readonly serverUrl: string;
	private readonly serverHost: string;
	private readonly clock: () => Date;
	private readonly currentSecrets: CurrentSecretsLookup | undefined;
	private readonly showPrivateNetworkAnswers: boolean;

	/**
	 * `clock` gives each attempt's time, its `webhook-timestamp` (default: the system clock); `currentSecrets` the
	 * webhooks' secrets as they are at each attempt (without it, every job signs with its own copy).
	 */
	constructor(input: { options: NormalizedOptions; agents: DeliveryAgents; clock?: () => Date; currentSecrets?: CurrentSecretsLookup }) {
		this.serverUrl = input.options.serverUrl;
		this.serverHost = input.options.serverHost;
		this.clock = input.clock ?? (() => new Date());
		this.currentSecrets = input.currentSecrets;
		this.showPrivateNetworkAnswers = input.options.showPrivateNetworkAnswers;
		this.client = createDeliveryHttpClient({ agents: input.agents, requestTimeoutMs: input.options.requestTimeoutMs });
	}

	/** Sends one job's envelope; resolves once the status line and the body's first 2 KB (or all of a shorter body) arrived. */
	send(job: WebhookDeliverJobData): Promise<SendResult> {
		// The same job always serializes to the same bytes, so every retry sends (and signs) an identical body: the
		// webhook's template rendered, or Misskey's envelope, or the chat message of the webhook's format; the headers and
		// signatures are the same in every format. A template that cannot render sends nothing: a final failure.
		const templated = templateBodyOf(job, () => buildWebhookEnvelope(job, this.serverUrl));
		if (templated && !templated.ok) return Promise.resolve({ kind: 'no-response', errorClass: TEMPLATE_ERROR_CLASS, reason: templated.reason });
		const chat = templated ? null : chatRequestOf(job, this.serverUrl);
		const body = templated?.body ?? chat?.body ?? JSON.stringify(buildWebhookEnvelope(job, this.serverUrl));
		// Signed with the secrets in force now, not only those copied at enqueue: a retry may come days after a rotation.
		const headers = deliveryHeaders(jobWithSecretsInForce(job, this.currentSecrets), { serverHost: this.serverHost, body, attemptAt: this.clock() });
		if (templated) headers['Content-Type'] = templated.contentType;
		return new Promise((resolve) => {
			let request: ReturnType<Got['stream']>;
			try {
				// ntfy's JSON goes to the server's root rather than the topic URL: same host, so the same guard and gate.
				request = this.client.stream.post(chat?.url ?? job.to, { body, headers });
			} catch (error) {
				resolve(noResponse(error));
				return;
			}
			let answered = false;
			let bytesRead = 0;
			let answer: Extract<SendResult, { kind: 'response' }> | null = null;
			const prefix: Buffer[] = [];
			// The result waits for the body's first 2 KB (or its end, or the timeout) so the attempt log can keep them.
			const settle = () => {
				if (!answer) return;
				if (answer.answerWithheld) {
					resolve(answer);
					answer = null;
					return;
				}
				const bodyPrefix = Buffer.concat(prefix).subarray(0, RESPONSE_BODY_PREFIX_BYTES).toString('utf8');
				if (bodyPrefix !== '') answer.bodyPrefix = bodyPrefix;
				resolve(answer);
				answer = null;
			};
			request.on('response', (response: { statusCode: number; headers: Record<string, string | string[] | undefined>; ip?: string }) => {
				answered = true;
				const retryAfter = response.headers['retry-after'];
				// Retry-After feeds the retry policy's next delay.
				answer = typeof retryAfter === 'string' ? { kind: 'response', status: response.statusCode, retryAfter } : { kind: 'response', status: response.statusCode };
				// The guard let a private address through only because the allowlist names it: what an internal service
				// says stays out of the log its owner reads.
				if (!this.showPrivateNetworkAnswers && reachedPrivateAddress(response.ip)) answer.answerWithheld = true;
			});
			// Drain a small reply so keep-alive can reuse the socket; drop the connection on anything larger.
			request.on('data', (chunk: Buffer) => {
				if (bytesRead < RESPONSE_BODY_PREFIX_BYTES) prefix.push(chunk);
				bytesRead += chunk.length;
				if (bytesRead >= RESPONSE_BODY_PREFIX_BYTES) settle();
				if (bytesRead > RESPONSE_READ_LIMIT_BYTES) request.destroy();
			});
			request.on('end', settle);
			request.on('close', settle);
			request.on('error', (error: unknown) => {
				if (answered) {
					settle();
					return;
				}
				answered = true;
				resolve(noResponse(error));
			});
		});
	}
}

/** Whether the answer came from an address the guard blocks unless allowlisted; an unknown address counts as one. */
function reachedPrivateAddress(ip: string | undefined): boolean {
	return ip === undefined || classifyAddress(ip) !== 'public';
}

/** Names the failure by its class or code (ECONNREFUSED, ECONNRESET, ENOTFOUND, timeout, ...), never by message text. */
function noResponse(error: unknown): SendResult {
	// The address guard's refusal keeps its reason (which address, which class) for the log.
	const blocked = blockedAddressOf(error);
	if (blocked) return { kind: 'no-response', errorClass: blocked.code, reason: blocked.reason };
	if (error instanceof TimeoutError) return { kind: 'no-response', errorClass: 'timeout' };
	const code = (error as { code?: unknown } | null)?.code;
	if (typeof code === 'string' && code !== '') return { kind: 'no-response', errorClass: code };
	const name = (error as { name?: unknown } | null)?.name;
	return { kind: 'no-response', errorClass: typeof name === 'string' ? name : 'unknown' };
}
