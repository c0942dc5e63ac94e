# Shared set-up for .ci/serve, .ci/test and .ci/run. Every step checks first
# and installs only what is missing, so a second run is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.8
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Please install as root: $*" >&2; return 1; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "Please install: ${missing[*]}" >&2; return 1; }
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  say "Installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The wasm target, cargo-leptos, the wasm-bindgen CLI matching Cargo.lock, and wasm-opt.
ensure_site_tools() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  local wbg
  wbg="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$wbg"; then
    say "Installing wasm-bindgen-cli $wbg (must match Cargo.lock)"
    # Not --locked: that lock file names a crate the registry no longer has.
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
  # A current wasm-opt from the npm registry, first on PATH: Debian's
  # binaryen 108 corrupts the function table of today's Rust wasm output.
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$ROOT/.ci/tools/node_modules/.bin/wasm-opt" ]; then
    (cd "$ROOT/.ci/tools" && npm ci --no-audit --no-fund >/dev/null)
  fi
  export PATH="$ROOT/.ci/tools/node_modules/.bin:$PATH"
}

build_site() {
  ensure_site_tools
  say "Building the site (server and browser bundle)"
  (cd "$ROOT" && cargo leptos build --release)
}

# What the tests need beyond Rust: PostgreSQL, Chromium, Node, PDF and QR tools.
ensure_test_tools() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  command -v chromium >/dev/null || apt_install chromium
  command -v npm >/dev/null || apt_install nodejs npm
  command -v python3 >/dev/null || apt_install python3
  # Certificate checks by tools nobody here wrote: qpdf, poppler (pdftotext,
  # pdftoppm, pdffonts), zbar (QR decoding) and jwcrypto (VC-JWT signatures).
  apt_install qpdf poppler-utils zbar-tools python3-jwcrypto
  ensure_api_tools
}

# schemathesis and openapi-spec-validator, pinned, in their own virtualenv
# (.ci/tools/python), for the API contract test.
ensure_api_tools() {
  local venv="$ROOT/.ci/tools/python" pinned="$ROOT/.ci/tools/api-contract.txt"
  [ -x "$venv/bin/schemathesis" ] && [ ! "$pinned" -nt "$venv/.installed" ] && return 0
  say "Installing the API contract test's tools"
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && /usr/bin/python3 -m venv "$venv"; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$pinned"
  touch "$venv/.installed"
}
