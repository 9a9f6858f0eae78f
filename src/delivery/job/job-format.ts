/** The payload format a job is sent in when it names none: Misskey's envelope, as every job queued before formats existed. */
export const DEFAULT_JOB_FORMAT = 'misskey';

/** The payload format a job's data names (field `format`), read defensively: anything but a non-empty string is Misskey's. */
export function jobFormatOf(data: object): string {
	const { format } = data as { format?: unknown };
	return typeof format === 'string' && format !== '' ? format : DEFAULT_JOB_FORMAT;
}
