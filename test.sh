#!/usr/bin/env bash
# Runs every test of the repository, failing on the first red step. CI runs exactly this (.ci/run).
#
#   ./test.sh            all steps, in order
#   ./test.sh STEP...    only these steps (after the same setup); steps:
#
#   fmt      cargo fmt --check (root workspace and examples/)
#   clippy   clippy -D warnings: root workspace natively, the library on wasm32, examples/ on wasm32; the library
#            and examples/ssr also with `ssr` (native) and `hydrate` (wasm32); no browser crate in core, backend or
#            dev server
#   test     cargo test --workspace (native, with doc tests; clerk-backend's differential test runs
#            the official @clerk/backend from e2e/node_modules), and leptos_clerk::server's doc tests (`ssr`)
#   spec     schemathesis: the dev server against the FAPI spec (dev-server/tests/schemathesis.sh)
#   doc      cargo doc -p clerk-core -p clerk-backend -p leptos-clerk with -D warnings
#   browser  wasm-bindgen-test browser tests in headless Chromium, with a dev server running
#   trunk    trunk build --release of every example app, with the size of what it ships
#   e2e      node --test e2e/*.test.mjs (playwright-core + Debian Chromium), after building the dev server,
#            examples/api and examples/ssr (`cargo leptos build`)
#
# Installs what it needs first (scripts/setup.sh): quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

ALL_STEPS=(fmt clippy test spec doc browser trunk e2e)
# Clerk's own files (its OpenAPI specs and clerk-js payloads) are not in this repository: one setting names where
# they are. Without them the spec step and the tests that read them are skipped, by name, never counted as passed.
SHARED_DIR=${LEPTOS_CLERK_SHARED_DIR:-$ROOT/../shared}
SHARED_NEEDS=(fapi/2026-05-12.yml bapi/2026-05-12.yml fixtures/clerk-js)
SHARED_MISSING=()
for f in "${SHARED_NEEDS[@]}"; do [ -e "$SHARED_DIR/$f" ] || SHARED_MISSING+=("$SHARED_DIR/$f"); done
if [ ${#SHARED_MISSING[@]} -eq 0 ]; then
  LEPTOS_CLERK_SHARED_DIR=$(cd "$SHARED_DIR" && pwd)
  export LEPTOS_CLERK_SHARED_DIR
fi
# the test binaries' modules that read those files (tests/wire_spec.rs, tests/wire_fixtures.rs)
SHARED_TEST_MODULES=(shared_spec:: shared_fixtures::)
SKIPPED=()
LOGS="$TARGET_DIR/test-logs"
WASM=wasm32-unknown-unknown

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
CURRENT=""
on_exit() {
  local rc=$?
  cleanup
  if [ "$rc" -ne 0 ] && [ -n "$CURRENT" ]; then
    say "FAILED: step $CURRENT (exit $rc) after $(since "$STEP_T0")s"
    printf '  %s\n' "${TIMES[@]}"
    printf '  %-8s %7ss\n' total "$(since "$T0")"
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_dev_server LOG ARGS...: starts $DEV_SERVER_BIN (target/debug/clerk-dev-server) and reads its first two lines,
# `listening on http://127.0.0.1:N` and `publishable key: pk_test_…`, into DEV_SERVER_URL and DEV_SERVER_KEY.
start_dev_server() {
  local log=$1 pid i status
  DEV_SERVER_URL="" DEV_SERVER_KEY=""
  shift
  : >"$log"
  "$DEV_SERVER_BIN" "$@" >"$log" 2>"$log.stderr" &
  pid=$!
  for ((i = 0; i < 600; i++)); do      # up to 60 s
    if [ "$(grep -c '' "$log")" -ge 2 ]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      status=0; wait "$pid" || status=$?
      echo "error: clerk-dev-server exited ($status) before printing its address:" >&2
      cat "$log" "$log.stderr" >&2
      return 1
    fi
    sleep 0.1
  done
  PIDS+=("$pid")
  DEV_SERVER_URL=$(sed -n '1s#^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)/\{0,1\}$#\1#p' "$log")
  DEV_SERVER_KEY=$(sed -n '2s#^publishable key: \(pk_[a-z]*_[A-Za-z0-9+/=_-]*\)$#\1#p' "$log")
  if [ -z "$DEV_SERVER_URL" ] || [ -z "$DEV_SERVER_KEY" ]; then
    echo "error: clerk-dev-server's first two lines are not 'listening on http://127.0.0.1:N'" \
         "and 'publishable key: pk_test_…':" >&2
    head -n 5 "$log" "$log.stderr" >&2
    return 1
  fi
  echo "dev server: $DEV_SERVER_URL ($DEV_SERVER_KEY), log: $log" >&2
}

step_fmt() {
  cargo fmt --all --check -- --color never
  (cd examples && cargo fmt --all --check -- --color never)
}

step_clippy() {
  cargo clippy --locked --workspace --all-targets -- -D warnings
  cargo clippy --locked -p leptos-clerk --target "$WASM" --all-targets -- -D warnings
  (cd examples && cargo clippy --locked --workspace --target "$WASM" --all-targets -- -D warnings)
  # The library chooses no renderer: it must build under each one an app may pick. Its `ssr` and `hydrate`
  # features, with examples/ssr's two halves (one compile each).
  cargo clippy --locked -p leptos-clerk -p leptos-clerk-example-ssr --all-targets \
    --features leptos-clerk/ssr,leptos-clerk-example-ssr/ssr -- -D warnings
  cargo clippy --locked -p leptos-clerk -p leptos-clerk-example-ssr --lib --target "$WASM" \
    --features leptos-clerk/hydrate,leptos-clerk-example-ssr/hydrate -- -D warnings
  no_browser_crates clerk-core
  no_browser_crates clerk-backend
  no_browser_crates clerk-dev-server
}

# Cargo keeps the core and the dev server free of the browser stack: neither may depend on any of these.
no_browser_crates() {
  local hits
  hits=$(cargo tree --locked -p "$1" -e normal --prefix none \
    | grep -E '^(leptos|tachys|reactive_graph|web-sys|js-sys|wasm-bindgen|gloo)[a-z_-]* ' || true)
  if [ -n "$hits" ]; then
    echo "error: $1 depends on browser or leptos crates:" >&2
    echo "$hits" | sort -u >&2
    return 1
  fi
  echo "$1: $(cargo tree --locked -p "$1" -e normal --prefix none | sed 's/ (\*)$//' | sort -u | wc -l) packages, none of leptos/tachys/reactive_graph/web-sys/js-sys/wasm-bindgen/gloo"
}

have_shared() { [ ${#SHARED_MISSING[@]} -eq 0 ]; }

step_test() {
  if have_shared; then
    cargo test --locked --workspace
  else
    local skip=() m
    for m in "${SHARED_TEST_MODULES[@]}"; do skip+=(--skip "$m"); done
    cargo test --locked --workspace -- "${skip[@]}"
    # name each skipped test
    while IFS= read -r name; do SKIPPED+=("test $name"); done < <(
      cargo test --locked -q -p leptos-clerk --test wire_spec --test wire_fixtures -- --list 2>/dev/null \
        | sed -n 's/: test$//p' | grep -E "^($(IFS='|'; echo "${SHARED_TEST_MODULES[*]}"))")
  fi
  # the server half's doc examples (leptos_clerk::server), which exist with the `ssr` feature only
  cargo test --locked -p leptos-clerk --features ssr --doc server
}

step_spec() {
  if ! have_shared; then
    echo "skipped: schemathesis needs Clerk's specs (${SHARED_MISSING[*]} missing)"
    SKIPPED+=("spec (schemathesis: FAPI and Backend API)")
    STEP_SKIPPED=1
    return 0
  fi
  dev-server/tests/schemathesis.sh
}

step_doc() {
  RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps -p clerk-core -p clerk-backend -p leptos-clerk \
    --features clerk-backend/axum,leptos-clerk/ssr
}

step_browser() {
  cargo build --locked -p clerk-dev-server
  start_dev_server "$LOGS/dev-server-browser.log" --port 0 --memory --seed dev-server/seed.toml
  # The tests read CLERK_DEV_SERVER_URL / CLERK_PUBLISHABLE_KEY at compile time (option_env!).
  local env=(
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
    CHROMEDRIVER=/usr/bin/chromedriver
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json"
    WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
  )
  env+=(CLERK_DEV_SERVER_URL="$DEV_SERVER_URL" CLERK_PUBLISHABLE_KEY="$DEV_SERVER_KEY")
  env "${env[@]}" cargo test --locked -p leptos-clerk --target "$WASM"
  cleanup
}

# Raw and gzip -9 size of every wasm, js and css file an example ships.
print_sizes() {
  local dist=$1 f raw gz
  printf '  %-52s %10s %10s\n' "$dist" "raw B" "gzip -9 B"
  for f in "$dist"/*_bg.wasm "$dist"/*.js "$dist"/*.css; do
    [ -f "$f" ] || continue
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    printf '  %-52s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
  done
}

step_trunk() {
  local toml dir
  for toml in examples/*/Trunk.toml; do
    dir=$(dirname "$toml")
    echo "-- trunk build --release ($dir)"
    # Build-time settings come from the environment; by default the example targets the local dev server.
    (cd "$dir" && trunk build --release --locked)
  done
  for toml in examples/*/Trunk.toml; do
    print_sizes "$(dirname "$toml")/dist"
  done
}

step_e2e() {
  # the dev server, and examples/api (the example app's axum server, clerk-backend's ClerkLayer) for api*.test.mjs
  # and synced-users.test.mjs (its webhooks endpoint fed by the dev server's --webhook)
  cargo build --locked -p clerk-dev-server -p leptos-clerk-example-api
  # examples/ssr for ssr.test.mjs: its server (target/debug) and site (target/site); debug, as a release build of
  # the server costs ~10 CPU-minutes (the benchmark e2e/perf-ssr.mjs needs one, outside CI)
  (cd examples/ssr && cargo leptos build)
  local files=()
  for f in e2e/*.test.mjs; do [ -f "$f" ] && files+=("${f#e2e/}"); done
  if [ ${#files[@]} -eq 0 ]; then echo "error: no e2e/*.test.mjs" >&2; return 1; fi
  (cd e2e && CLERK_DEV_SERVER_BIN="$DEV_SERVER_BIN" CLERK_EXAMPLE_API_BIN="$TARGET_DIR/debug/leptos-clerk-example-api" \
     CLERK_EXAMPLE_SSR_BIN="$TARGET_DIR/debug/leptos-clerk-example-ssr" \
     EXAMPLES_DIR="$ROOT/examples" \
     node --test --test-concurrency=1 "${files[@]}")
}

# --- main ---------------------------------------------------------------------------------------------------------
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${ALL_STEPS[@]}")
for s in "${steps[@]}"; do
  if ! declare -F "step_$s" >/dev/null; then
    echo "unknown step '$s'; steps: ${ALL_STEPS[*]}" >&2
    exit 2
  fi
done

T0=$(now)
STEP_T0=$T0
TIMES=()
CURRENT=setup
if ! have_shared; then
  say "Clerk's specs and fixtures are missing: the tests that read them will be skipped"
  printf '  missing: %s\n' "${SHARED_MISSING[@]}"
  echo "  They are Clerk's files (its OpenAPI specs and clerk-js payloads), not committed here. Put them in ../shared"
  echo "  beside this checkout, or set LEPTOS_CLERK_SHARED_DIR=/path/to/the/folder (it holds fapi/, bapi/, fixtures/)."
fi
say "setup (tools: chromium, wasm32 target, trunk, wasm-bindgen-cli, npm packages)"
setup_tools
mkdir -p "$LOGS"
TIMES+=("$(printf '%-8s %7ss' setup "$(since "$T0")")")

for s in "${steps[@]}"; do
  STEP_T0=$(now)
  CURRENT=$s
  STEP_SKIPPED=""
  say "step $s"
  "step_$s"
  if [ -n "$STEP_SKIPPED" ]; then
    TIMES+=("$(printf '%-8s %8s' "$s" skipped)")
    printf -- '-- step %s skipped (not passed)\n' "$s"
  else
    TIMES+=("$(printf '%-8s %7ss' "$s" "$(since "$STEP_T0")")")
    printf -- '-- step %s passed in %ss\n' "$s" "$(since "$STEP_T0")"
  fi
done
CURRENT=""

if [ ${#SKIPPED[@]} -eq 0 ]; then
  say "all green"
else
  say "green, with ${#SKIPPED[@]} skipped (not passed): Clerk's files are missing at $SHARED_DIR"
  printf '  skipped: %s\n' "${SKIPPED[@]}"
  echo "  to run them: put Clerk's specs and fixtures in ../shared, or set LEPTOS_CLERK_SHARED_DIR=/path"
fi
printf '  %s\n' "${TIMES[@]}"
printf '  %-8s %7ss\n' total "$(since "$T0")"
