// Loaded into a Misskey process of the side-by-side benchmark (bench/misskey.ts, MISSKEY_BENCH_PROFILE) through
// NODE_OPTIONS=--import: each SIGUSR2 starts V8's CPU profiler, the next stops it and writes the profile to
// $MISSKEY_BENCH_PROFILE_DIR/$MISSKEY_BENCH_PROFILE_NAME-<n>.cpuprofile. The benchmark signals at a phase's start and
// end, so a profile holds that phase alone, not Misskey's boot (which `node --cpu-prof` would include, and which a
// SIGTERM'd Misskey would never write). Plain JavaScript: Misskey runs on Node 22 without tsx.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const dir = process.env.MISSKEY_BENCH_PROFILE_DIR;
const name = process.env.MISSKEY_BENCH_PROFILE_NAME ?? `pid-${process.pid}`;
let session = null;
let written = 0;
// Signals arrive one at a time; a start still under way when the stop comes is finished first.
let busy = Promise.resolve();

process.on('SIGUSR2', () => {
	busy = busy.then(async () => {
		if (session === null) {
			session = new Session();
			session.connect();
			await session.post('Profiler.enable');
			await session.post('Profiler.start');
		} else {
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			session = null;
			writeFileSync(`${dir}/${name}-${++written}.cpuprofile`, JSON.stringify(profile));
		}
	}).catch((error) => console.error('bench profiler:', error));
});
