const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DELTA_SECONDS = /^\d+$/;
// The three HTTP-date forms an HTTP recipient must accept: IMF-fixdate, the obsolete RFC 850 form, and asctime.
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850_DATE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Milliseconds a `Retry-After` value asks to wait, measured from `nowMs`: delta-seconds or an
 * HTTP-date; a date already past asks for 0. Anything else is not a Retry-After value: undefined, and it is ignored.
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (DELTA_SECONDS.test(text)) return Number(text) * 1000;
	const dateMs = parseHttpDateMs(text, nowMs);
	return dateMs === undefined ? undefined : Math.max(0, dateMs - nowMs);
}

/** Epoch ms of an HTTP-date in any of its three forms, or undefined when it is not one. */
export function parseHttpDateMs(text: string, nowMs: number): number | undefined {
	let match = IMF_FIXDATE.exec(text);
	if (match) return utcMs(Number(match[3]), match[2], match[1], match[4], match[5], match[6]);
	match = RFC_850_DATE.exec(text);
	if (match) return utcMs(fullYearOfTwoDigits(Number(match[3]), nowMs), match[2], match[1], match[4], match[5], match[6]);
	match = ASCTIME_DATE.exec(text);
	if (match) return utcMs(Number(match[6]), match[1], match[2], match[3], match[4], match[5]);
	return undefined;
}

/** A two-digit year that would lie more than 50 years ahead means the previous century, as HTTP reads the obsolete form. */
function fullYearOfTwoDigits(year: number, nowMs: number): number {
	const currentYear = new Date(nowMs).getUTCFullYear();
	const candidate = Math.floor(currentYear / 100) * 100 + year;
	return candidate > currentYear + 50 ? candidate - 100 : candidate;
}

/** Builds the instant from validated fields; an impossible date (Feb 30, hour 24) is not a date. */
function utcMs(year: number, monthName: string, dayText: string, hourText: string, minuteText: string, secondText: string): number | undefined {
	const month = MONTHS.indexOf(monthName);
	const [day, hour, minute, second] = [dayText, hourText, minuteText, secondText].map((part) => Number(part.trim()));
	if (month < 0 || hour > 23 || minute > 59 || second > 60) return undefined;
	// A leap second is read as the first second after it, which is what a waiting sender needs.
	const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) + (second === 60 ? 1000 : 0);
	return new Date(Date.UTC(year, month, day)).getUTCDate() === day ? ms : undefined;
}
