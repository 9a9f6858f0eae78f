#!/usr/bin/env bash
# Stock Misskey beside Misskey with the module, in the real server, on this machine, in one run. Builds the trees from
# one Misskey source with the Misskey stage's functions (.ci/misskey-build.sh), skipping what the work folder already
# holds for the same source and package, then bench/misskey.ts measures each side in turn and prints module / stock.
#
#   bench/misskey.sh <misskey tarball or checkout> [work folder]
#
#   work folder          the trees and template databases are kept there between runs (default ~/.cache/misskey-webhooks-bench)
#   MISSKEY_STAGE_CACHE  Node 22, pnpm and pnpm's store, shared with the Misskey stage (default ~/.cache/misskey-webhooks-stage)
#   MISSKEY_BENCH_PORT   first of the ports it uses (default 61830: the stage takes 61812–61815 and 56312)
#   MISSKEY_BENCH_PREPARE_ONLY=1  build what is missing, measure nothing
#   MISSKEY_BENCH_PROFILE=<side>  stock, lifted or module: that side's Misskey processes are profiled phase by phase
#                        (V8's CPU profiler, bench/misskey-profiler.js), into bench/results/misskey-profiles/<side>/
#   MISSKEY_BENCH_PROFILE_DRAIN_FROM_SPAWN=1  the profiled drain's profile starts at its queue process's spawn
#   MISSKEY_BENCH_SIDES=<sides>  which of lifted,module,stock run (default: all three)
#
# Four trees of one source: stock (as shipped), stock-lifted (stock with its webhook worker's limits lifted, see
# lift_limits), module (the integration applied as an operator does, from the package's tarball). PostgreSQL is the
# machine's (127.0.0.1:5432, user postgres); each side gets a fresh database copied from a template migrated once.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source="${1:?usage: bench/misskey.sh <misskey tarball or checkout> [work folder]}"
source="$(cd "$(dirname "$source")" && pwd)/$(basename "$source")"
cache="${MISSKEY_STAGE_CACHE:-$HOME/.cache/misskey-webhooks-stage}"
work="${2:-$HOME/.cache/misskey-webhooks-bench}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
pg="postgres://postgres@127.0.0.1:5432"

. "$repo/.ci/misskey-build.sh"

started=$(date +%s)
say() { echo "== $* ($(($(date +%s) - started)) s)"; }

say "tools"
misskey_tools

# What a tree was built from: kept beside it, so a later run rebuilds only when the source or the package changed.
source_id() {
	if [ -f "$source" ]; then
		sha256sum <"$source" | cut -c1-64
	elif [ -d "$source/.git" ]; then
		echo "$(git -C "$source" rev-parse HEAD) $(git -C "$source" status --porcelain | sha256sum | cut -c1-64)"
	else
		echo "$source"
	fi
}
built_as() { [ -f "$work/$1.built" ] && [ "$(cat "$work/$1.built")" = "$2" ]; }
has_db() { [ "$(psql "$pg/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# A database every run of the side copies (CREATE DATABASE ... TEMPLATE): `pnpm migrate` once per build, not per run.
migrate_template() { # tree database
	PGOPTIONS='--client-min-messages=warning' psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS \"$2\"" -c "CREATE DATABASE \"$2\"" >/dev/null
	rm -f "$1/.config/bench-template.yml"
	cat >"$1/.config/bench-template.yml" <<EOF
url: http://127.0.0.1/
port: 3000
db: { host: 127.0.0.1, port: 5432, db: $2, user: postgres, pass: '' }
dbReplications: false
redis: { host: 127.0.0.1, port: 6379 }
id: aidx
EOF
	(cd "$1/packages/backend" && MISSKEY_CONFIG_YML=bench-template.yml mk pnpm migrate >"$work/migrate.log" 2>&1) || { tail -30 "$work/migrate.log"; exit 1; }
}

stock_id="source $(source_id)"
if built_as stock "$stock_id" && has_db mk_bench_template_stock; then
	say "stock Misskey: built already for this source"
else
	say "stock Misskey: unpack, install, build"
	rm -f "$work/stock.built" "$work/stock-lifted.built"
	misskey_unpack "$source" "$work/stock"
	misskey_install "$work/stock"
	misskey_build "$work/stock"
	migrate_template "$work/stock" mk_bench_template_stock
	echo "$stock_id" >"$work/stock.built"
fi

# Stock's user-webhook worker is hard-coded in QueueProcessorService at 64 jobs at a time and 64 a second (a BullMQ
# limiter); Misskey's config cannot change either. The lifted copy raises both in the built file, so the comparison is
# of the two delivery paths, not of stock's throttle. A copy of hard links: only the edited file is the copy's own (sed
# -i writes a new file), and nothing writes into either tree in place afterwards.
lift='user webhook worker: concurrency 64 → 256, limiter 64/s → 100000/s'
lift_limits() {
	local file="$1/packages/backend/built/queue/QueueProcessorService.js"
	# Only the block of the user-webhook worker: from its `new Bull.Worker(QUEUE.USER_WEBHOOK_DELIVER` to its limiter.
	sed -i -E '/QUEUE\.USER_WEBHOOK_DELIVER,/,/duration: 1000/{s/concurrency: 64,/concurrency: 256,/;s/max: 64,/max: 100000,/}' "$file"
	local changed
	changed=$(awk '/QUEUE\.USER_WEBHOOK_DELIVER,/,/duration: 1000/' "$file" | grep -cE 'concurrency: 256,|max: 100000,' || true)
	[ "$changed" = 2 ] || { echo "lifting stock's webhook limits: $file did not change as expected (QueueProcessorService moved?)"; exit 1; }
}
if built_as stock-lifted "$stock_id $lift"; then
	say "stock Misskey, limits lifted: made already"
else
	say "stock Misskey, limits lifted: a copy of stock ($lift)"
	rm -rf "$work/stock-lifted"
	cp -al "$work/stock" "$work/stock-lifted"
	lift_limits "$work/stock-lifted"
	echo "$stock_id $lift" >"$work/stock-lifted.built"
fi

say "the package: built and packed as a host installs it"
rm -rf "$work/package" && mkdir -p "$work/package"
tarball="$(package_tarball "$repo" "$work/package")"
# The tarball's contents, not its bytes: gzip's header need not repeat.
package_id="$(tar -xOzf "$tarball" | sha256sum | cut -c1-64)"
module_id="source $(source_id) package $package_id"
if built_as module "$module_id" && has_db mk_bench_template_module; then
	say "Misskey with the module: built already for this source and package"
else
	say "Misskey with the module: unpack, install, integrate, build"
	rm -f "$work/module.built"
	misskey_unpack "$source" "$work/module"
	misskey_install "$work/module"
	misskey_integrate "$work/module" "$tarball"
	migrate_template "$work/module" mk_bench_template_module
	echo "$module_id" >"$work/module.built"
fi
say "prepared"
[ "${MISSKEY_BENCH_PREPARE_ONLY:-0}" = 1 ] && exit 0

# The Misskey stage shares PostgreSQL (whose CPU is measured) and the CPUs; its ports are not these, its load is.
stage_running() { pgrep -f '(^|[ /])\.ci/misskey( |$)' >/dev/null; }
if stage_running; then
	say "waiting for the Misskey stage (.ci/misskey) to finish: it shares PostgreSQL and the CPUs"
	while stage_running; do sleep 10; done
fi

cd "$repo"
MISSKEY_NODE="$node22" MISSKEY_BENCH_WORK="$work" MISSKEY_BENCH_LIFT="$lift" MISSKEY_BENCH_PACKAGE="$package_id" \
	MISSKEY_BENCH_SOURCE="$(basename "$source")" exec npx tsx bench/misskey.ts
