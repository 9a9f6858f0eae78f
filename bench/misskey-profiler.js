// Loaded into a Misskey process of the side-by-side benchmark (bench/misskey.ts, MISSKEY_BENCH_PROFILE) through
// NODE_OPTIONS=--import: each SIGUSR2 starts V8's CPU profiler, the next stops it and writes the profile to
// $MISSKEY_BENCH_PROFILE_DIR/$MISSKEY_BENCH_PROFILE_NAME-<n>.cpuprofile. The benchmark signals at a phase's start and
// end, so a profile holds that phase alone, not Misskey's boot (which `node --cpu-prof` would include, and which a
// SIGTERM'd Misskey would never write). With MISSKEY_BENCH_PROFILE_FROM_START=1 the profiler starts as this file loads,
// before Misskey's code, and the first SIGUSR2 stops it: a profile from the process's spawn, whose start does not stall
// the process (the inspector's start takes longer the more code is already compiled). Plain JavaScript: Misskey runs
// on Node 22 without tsx.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const dir = process.env.MISSKEY_BENCH_PROFILE_DIR;
const name = process.env.MISSKEY_BENCH_PROFILE_NAME ?? `pid-${process.pid}`;
let session = null;
let written = 0;
// Signals arrive one at a time; a start still under way when the stop comes is finished first.
let busy = Promise.resolve();

async function start() {
	session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
}

if (process.env.MISSKEY_BENCH_PROFILE_FROM_START === '1') await start();

process.on('SIGUSR2', () => {
	busy = busy.then(async () => {
		if (session === null) {
			await start();
		} else {
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			session = null;
			writeFileSync(`${dir}/${name}-${++written}.cpuprofile`, JSON.stringify(profile));
		}
	}).catch((error) => console.error('bench profiler:', error));
});
