# Shared by scripts/serve, scripts/test and scripts/bench: idempotent installs of everything the
# build needs, each skipped when the right version is already there. Source it; don't run it.
# Versions and why: ../shared/design/toolchain.md (trunk 0.21.14 is the newest on Rust 1.95;
# wasm-bindgen-cli must equal the crate; wasm-opt from npm binaryen 132, never Debian's 108).

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130 # must equal the "=0.2.130" pin in Cargo.toml
WASM_SPLIT_VERSION=0.2.4     # wasm_split_cli_support, the format of Leptos 0.8's wasm_split_helpers 0.2

export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CARGO_TERM_PROGRESS_WHEN=never

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# Debian packages, installed only when a command is missing.
ensure_apt() { # ensure_apt command:package ...
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

apt_install() { # apt_install package ...
  step "Installing Debian packages: $* (about a minute)"
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
    step "Adding clippy and rustfmt"
    rustup component add clippy rustfmt
  fi
  if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    step "Installing trunk $TRUNK_VERSION (cargo install, ~10 min on 2 cores)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, ~3 min)"
    # Not --locked: the registry here lacks a crate version its lock file names.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    step "Installing wasm-split-cli $WASM_SPLIT_VERSION (cargo install, ~3 min)"
    cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
  fi
  if ! grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | grep -q "\"$WASM_BINDGEN_VERSION\""; then
    echo "Cargo.lock's wasm-bindgen is not $WASM_BINDGEN_VERSION: bump WASM_BINDGEN_VERSION with the pin" >&2
    exit 1
  fi
}

# npm packages of one folder, from its lock file; reinstalled only when the lock changes.
ensure_npm() { # ensure_npm dir
  local dir="$1" stamp="$1/node_modules/.lock-stamp"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    step "Installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

# Python packages of one folder, into DIR/.venv, from its fully pinned DIR/requirements.txt;
# the venv is rebuilt only when that file or the interpreter (its path or version) changes.
ensure_pip() { # ensure_pip dir
  local dir="$1" venv="$1/.venv"
  local stamp="$venv/.requirements-stamp" want
  want="$({ command -v python3; python3 --version; cat "$dir/requirements.txt"; } | sha256sum | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    step "Installing Python packages in $venv (about 30 s)"
    python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv" &&
      "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt" &&
      echo "$want" >"$stamp"
  fi
}

ensure_build_tools() {
  ensure_rust
  ensure_npm tools
  step "Fetching crates (for offline builds)"
  cargo fetch --quiet
}

# The widget bundles, each with its own Trunk entry, into DIST/embed: <lookout-environment>'s first
# view (no Leptos; /embed/lookout-environment.js), the details drawer it imports on first use
# (Leptos; /embed/drawer/), and <lookout-flux-status> (no Leptos; /embed/flux-status/). Fixed names,
# so hosts can load them by URL.
build_widgets() { # [dist dir, default dist/]
  local dist="${1:-dist}"
  step "Building the <lookout-environment> bundle (environment.html -> $dist/embed/)"
  # After the app, and before the others: trunk empties its dist folder first.
  # Each step stops the build when it fails: a stale bundle left from an earlier build must never
  # be tested as if it were new.
  trunk build --release --offline=true environment.html --dist "$dist/embed" --public-url /embed/ --filehash false || return 1
  step "Building the details drawer bundle (drawer.html -> $dist/embed/drawer/)"
  trunk build --release --offline=true drawer.html --dist "$dist/embed/drawer" \
    --public-url /embed/drawer/ --filehash false || return 1
  step "Building the <lookout-flux-status> bundle (flux-status.html -> $dist/embed/flux-status/)"
  trunk build --release --offline=true flux-status.html --dist "$dist/embed/flux-status" \
    --public-url /embed/flux-status/ --filehash false
}

build_app() { # [dist dir, default dist/]
  local dist="${1:-dist}"
  step "Building the app (trunk build --release, wasm-opt -Oz)"
  trunk build --release --offline=true --dist "$dist" || return 1
  split_app "$dist" || return 1
  build_widgets "$dist" || return 1
  step "Building the storybook bundle (stories.html -> $dist/stories/)"
  # Its own bundle, out of the app's wasm; lookout-dev answers /stories/* with its index.html.
  trunk build --release --offline=true stories.html --dist "$dist/stories" --public-url /stories/ || return 1
  compress_dist "$dist"
}

# Writes x.br (brotli -q 11) and x.gz (gzip -9) beside each .wasm/.js/.css/.html in DIST,
# DIST/embed, its bundle folders and DIST/stories: lookout-dev sends them as is to clients that accept them, as a CDN would.
compress_dist() { # dist dir
  ensure_apt brotli:brotli
  step "Precompressing $1 (brotli -q 11, gzip -9)"
  local f
  for f in "$1"/*.{wasm,js,css,html} "$1"/embed/*.{wasm,js,css,html} "$1"/embed/{drawer,flux-status}/*.{wasm,js,css,html} \
    "$1"/stories/*.{wasm,js,css,html}; do
    [[ -f "$f" ]] || continue
    brotli -q 11 -f -o "$f.br" "$f"
    gzip -9 -n -c "$f" >"$f.gz"
  done
}

# Cuts the pages behind a click (app/src/split_pages.rs) out of the app's wasm into chunks it loads
# on first use. Trunk 0.21 cannot split (wasm-split must run between cargo and wasm-bindgen), so
# this redoes trunk's last steps on the cargo output, under trunk's names: wasm-split-cli, then
# wasm-bindgen (keeping the exports the chunks link to) and wasm-opt -Oz on every part. The chunks
# and their loader are named with the app's content hash, so a cached old app never mixes with
# new chunks.
split_app() { # dist dir
  local dist="$1" js name hash tmp=target/wasm-split f base
  js=$(ls "$dist"/lookout-app-*.js) || return 1
  name=$(basename "$js" .js)
  hash=${name##*-}
  step "Splitting the app's wasm into chunks ($name)"
  rm -rf "$tmp" && mkdir -p "$tmp" || return 1
  local wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/lookout-app.wasm"
  wasm-split-cli --target web --out-name "$name" "$wasm" "$tmp" || return 1
  wasm-bindgen --target=web --no-typescript --keep-lld-exports --out-dir="$dist" --out-name="$name" \
    "$tmp/$name.wasm" || return 1
  wasm-opt -Oz --output="$dist/${name}_bg.wasm" "$dist/${name}_bg.wasm" || return 1
  for f in "$tmp"/*.wasm; do
    base=$(basename "$f" .wasm)
    [[ $base == "$name" ]] && continue
    wasm-opt -Oz --output="$dist/$base-$hash.wasm" "$f" || return 1
    sed -i "s|\"./$base.wasm\"|\"./$base-$hash.wasm\"|" "$tmp/__wasm_split.js" || return 1
    # sed succeeds without a match: a tool that changed its output must fail here, not ship.
    grep -qF "\"./$base-$hash.wasm\"" "$tmp/__wasm_split.js" ||
      { echo "split_app: $base.wasm not named in the chunk loader" >&2; return 1; }
  done
  cp "$tmp/__wasm_split.js" "$dist/__wasm_split-$hash.js" &&
    sed -i -E "s|^(import .* from [\"'])\./__wasm_split\.js([\"'])|\1./__wasm_split-$hash.js\2|" "$js" || return 1
  # index.html preloads both with trunk's Subresource Integrity hashes: the new bytes' instead.
  local sri
  for f in "$js" "$dist/${name}_bg.wasm"; do
    base=$(basename "$f")
    sri=$(openssl dgst -sha384 -binary "$f" | base64 -w0) && [[ -n $sri ]] || return 1
    sed -i "s|\(href=\"[^\"]*/$base\" crossorigin=\"anonymous\" integrity=\"\)[^\"]*|\1sha384-$sri|" \
      "$dist/index.html" || return 1
    grep -qF "sha384-$sri" "$dist/index.html" || { echo "split_app: no integrity of $base rewritten in index.html" >&2; return 1; }
  done
  grep -qF "/__wasm_split-$hash.js" "$js" || { echo "split_app: $js does not import the chunk loader" >&2; return 1; }
  # Trunk preloads every wasm-bindgen snippet of its cache, and the app's JS imports none since the
  # split: preload what it does import instead, its chunk loader (fetched beside the main wasm).
  for f in $(grep -o 'href="/snippets/[^"]*"' "$dist/index.html" | sed -E 's|href="/(.*)"|\1|'); do
    grep -qF "./$f" "$js" && continue
    sed -i "s|<link rel=\"modulepreload\" href=\"/${f//./\\.}\"[^>]*>||" "$dist/index.html" || return 1
    ! grep -qF "href=\"/$f\"" "$dist/index.html" || { echo "split_app: $f still preloaded" >&2; return 1; }
  done
  sri=$(openssl dgst -sha384 -binary "$dist/__wasm_split-$hash.js" | base64 -w0) && [[ -n $sri ]] || return 1
  sed -i "s|\(<link rel=\"modulepreload\" href=\"/$name.js\"[^>]*>\)|\1<link rel=\"modulepreload\" href=\"/__wasm_split-$hash.js\" crossorigin=\"anonymous\" integrity=\"sha384-$sri\">|" \
    "$dist/index.html" || return 1
  grep -qF "href=\"/__wasm_split-$hash.js\"" "$dist/index.html" || { echo "split_app: no preload of the chunk loader in index.html" >&2; return 1; }
  rm -rf "$tmp"
}

build_devserver() {
  step "Building lookout-dev"
  cargo build --quiet -p lookout-devserver
}

# Prints raw, gzip and brotli sizes of the built wasm and JS: the app's, <lookout-environment>'s
# first view, its drawer (loaded on first use), the <lookout-flux-status> bundle's, then the storybook's.
report_size() {
  local f
  for f in dist/*_bg.wasm dist/*.js dist/split_*.wasm dist/chunk_*.wasm dist/embed/*_bg.wasm dist/embed/*.js \
    dist/embed/drawer/*_bg.wasm dist/embed/drawer/*.js \
    dist/embed/flux-status/*_bg.wasm dist/embed/flux-status/*.js dist/stories/*_bg.wasm dist/stories/*.js; do
    [[ -f "$f" ]] || continue
    local raw gz br=""
    raw=$(stat -c %s "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    if command -v brotli >/dev/null 2>&1; then br=$(brotli -q 11 -c "$f" | wc -c); fi
    printf '    %-50s raw %8s  gzip %8s  brotli %8s\n' "${f#dist/}" "$raw" "$gz" "${br:-n/a}"
  done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

build_devserver_release() {
  step "Building lookout-dev (release)"
  cargo build --quiet --release -p lookout-devserver
}

# Only scripts/bench needs twiggy (the per-crate size breakdown of the wasm).
ensure_twiggy() {
  if ! command -v twiggy >/dev/null 2>&1; then
    step "Installing twiggy (cargo install, ~3 min on 2 cores)"
    nice -n 10 cargo install --locked twiggy
  fi
}

# Waits until the lookout-dev at URL answers; fails (printing LOG) if process PID exits first.
wait_for_lookout_dev() { # url pid log
  local _
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$1/k8s-proxy/api/v1/namespaces" && return 0
    kill -0 "$2" 2>/dev/null || {
      cat "$3"
      return 1
    }
    sleep 0.1
  done
  cat "$3"
  return 1
}
