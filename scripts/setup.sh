# shellcheck shell=bash
# Installs what ./test.sh and ./dev.sh need, and only what is missing: each check is quick when the tool is there.
# Sourced by both (not run on its own). Sets ROOT and PATH; defines `setup_tools` and `wasm_bindgen_version`.
#
#   Debian chromium + chromium-driver   apt-get, only if /usr/bin/chromium or /usr/bin/chromedriver is missing
#   (+ fonts-ipafont-gothic)            (and the Japanese font of the ja-JP screenshots)
#   rustup target wasm32-unknown-unknown
#   trunk 0.21.14                       cargo install --locked --debug (0.22 needs a newer rustc than 1.95)
#   wasm-bindgen-cli = Cargo.lock's     cargo install, NOT --locked (its lockfile pins a crate the registry lacks)
#   cargo-leptos 0.3.10                 cargo install --locked --debug --features no_downloads (examples/ssr; 0.3.11 needs rustc 1.96): runs the
#                                       wasm-bindgen and wasm-opt found on PATH (see ARCHITECTURE.md, "cargo-leptos")
#   e2e/node_modules                    npm ci (playwright-core, binaryen 132 = wasm-opt), when missing or stale

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRUNK_VERSION=0.21.14
CARGO_LEPTOS_VERSION=0.3.10
# cargo's target dir (examples/ shares it through examples/.cargo/config.toml).
# shellcheck disable=SC2034 # used by the scripts that source this one
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# shellcheck disable=SC2034
DEV_SERVER_BIN="$TARGET_DIR/debug/clerk-dev-server"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# npm's wasm-opt (binaryen 132) must come before any other on PATH: Debian's wasm-opt 108 breaks the wasm at load time.
export PATH="$ROOT/e2e/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
say() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }

# The wasm-bindgen version pinned by a Cargo.lock (default: the root one).
wasm_bindgen_version() {
  sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' "${1:-$ROOT/Cargo.lock}" | head -n1
}

setup_tools() {
  # IPA Gothic: Japanese glyphs for the ja-JP screenshots (Chromium draws boxes without a CJK font)
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/opentype/ipafont-gothic ]; then
    say "installing Debian chromium, chromium-driver and fonts-ipafont-gothic (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-ipafont-gothic >/dev/null
  fi

  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi

  local wbg ex_wbg
  wbg=$(wasm_bindgen_version)
  if [ -z "$wbg" ]; then
    echo "error: no wasm-bindgen in $ROOT/Cargo.lock" >&2; return 1
  fi
  if [ -f "$ROOT/examples/Cargo.lock" ]; then
    ex_wbg=$(wasm_bindgen_version "$ROOT/examples/Cargo.lock")
    if [ "$ex_wbg" != "$wbg" ]; then
      echo "error: wasm-bindgen is $wbg in Cargo.lock but $ex_wbg in examples/Cargo.lock;" \
           "both must pin the one version the installed wasm-bindgen-cli has (see examples/*/Cargo.toml)" >&2
      return 1
    fi
  fi

  # trunk and cargo-leptos are built unoptimized (--debug): they only orchestrate cargo, wasm-bindgen and wasm-opt,
  # so what they produce is the same (the same wasm, byte for byte, checked on examples/minimal), and the install
  # skips their optimized release builds: on the 2-core machine trunk took 149 s instead of ~8 min (its release
  # profile has fat LTO), cargo-leptos 370 s instead of 23 min 40 s (a release build without LTO, with other builds
  # beside it); see ARCHITECTURE.md, "Build and test pipeline"
  if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (cargo install --debug; ~2.5 min on a fresh machine)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --debug
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (cargo install; ~3 min on a fresh machine)"
    cargo install wasm-bindgen-cli --version "$wbg" --force   # not --locked: its lockfile pins a crate version the registry no longer has (../shared/docs/toolchain.md, outside this repository, pitfall 2)
  fi

  if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION with no_downloads (cargo install --debug; ~6 min on a fresh machine)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads --debug
  fi

  if [ ! -f "$ROOT/e2e/node_modules/.package-lock.json" ] \
     || [ "$ROOT/e2e/package-lock.json" -nt "$ROOT/e2e/node_modules/.package-lock.json" ]; then
    say "installing e2e npm packages (npm ci)"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi

  local opt
  opt=$(command -v wasm-opt || true)
  if [ "$opt" != "$ROOT/e2e/node_modules/.bin/wasm-opt" ]; then
    echo "error: wasm-opt on PATH is '$opt', expected e2e/node_modules/.bin/wasm-opt (binaryen 132)" >&2
    return 1
  fi
}
