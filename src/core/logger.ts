/** Where delivery reports what went wrong, one concise line each; secrets never reach it. */
export interface DeliveryLogger {
	warn(line: string): void;
}

/** The default logger: standard error, tagged with the module's name. */
export const consoleDeliveryLogger: DeliveryLogger = {
	warn: (line) => console.warn(`[misskey-webhooks] ${line}`),
};
