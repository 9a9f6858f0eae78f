import { createHash } from 'node:crypto';

const GRID = 5;
const CELL = 10;

/** A GitHub-style identicon for a username as SVG: avatarUrl points here, as Misskey serves `/identicon/<seed>`. */
export function identiconSvg(seed: string): string {
	const digest = createHash('sha256').update(seed).digest();
	const hue = digest.readUInt16BE(0) % 360;
	const cells: string[] = [];
	// Mirror the left three columns so the picture is symmetric.
	for (let row = 0; row < GRID; row++) {
		for (let column = 0; column < Math.ceil(GRID / 2); column++) {
			if ((digest[2 + row * GRID + column] ?? 0) % 2 === 0) continue;
			for (const x of new Set([column, GRID - 1 - column])) {
				cells.push(`<rect x="${x * CELL}" y="${row * CELL}" width="${CELL}" height="${CELL}"/>`);
			}
		}
	}
	const size = GRID * CELL;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}"><rect width="${size}" height="${size}" fill="#f0f0f0"/><g fill="hsl(${hue},55%,50%)">${cells.join('')}</g></svg>`;
}
