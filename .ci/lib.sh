# Shared set-up for .ci/serve, .ci/test and .ci/run. Every step checks first
# and installs only what is missing, so a second run is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_DENY_VERSION=0.20.2
LEPTOSFMT_VERSION=0.1.33
CARGO_AUDIT_VERSION=0.22.2
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

# The wasm target and a current wasm-opt. The site itself is built by the
# workspace's own `holdspace-site` program (.ci/site), which uses
# wasm-bindgen as a library at the version Cargo.lock gives the app: no
# cargo-leptos (about 18 minutes to compile) and no wasm-bindgen CLI.
ensure_site_tools() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  # A current wasm-opt from the npm registry, first on PATH: Debian's
  # binaryen 108 corrupts the function table of today's Rust wasm output.
  ensure_node_tools
  export PATH="$ROOT/.ci/tools/node_modules/.bin:$PATH"
}

# .ci/tools from the npm registry, pinned by its lock file: wasm-opt for
# the site, verifier-core for the credential tests.
ensure_node_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$ROOT/.ci/tools/node_modules/.bin/wasm-opt" ] ||
    [ ! -d "$ROOT/.ci/tools/node_modules/@digitalcredentials/verifier-core" ]; then
    (cd "$ROOT/.ci/tools" && npm ci --no-audit --no-fund >/dev/null)
  fi
}

build_site() {
  ensure_site_tools
  say "Building the site (server and browser bundle)"
  (cd "$ROOT" && cargo run --quiet --locked --release -p holdspace-site)
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
  # A real SMTP server for the mail tests (aiosmtpd, delivering to a Maildir).
  apt_install python3-aiosmtpd
  # Two instances behind a reverse proxy, as a growing site runs (instances.rs).
  apt_install nginx
  # The wallet test: a certificate for the TLS proxy did:web resolves through.
  apt_install openssl
  ensure_fonts
  ensure_node_tools
  ensure_api_tools
}

# Noto for names in scripts the certificate's own typeface lacks (the
# server reads them from /usr/share/fonts; see font_file.rs).
ensure_fonts() {
  apt_install fonts-noto-core fonts-noto-cjk
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

# Supply-chain checks. cargo-deny's licence, duplicate-version and source
# checks need nothing from the network. Advisories need a copy of the
# RustSec advisory database (a git checkout of rustsec/advisory-db), which
# this machine cannot download: give its path in HOLDSPACE_ADVISORY_DB to
# check them; without one they are skipped, and the run says so.
ensure_deny() {
  if ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
    say "Installing cargo-deny $CARGO_DENY_VERSION"
    cargo install --locked --quiet cargo-deny --version "$CARGO_DENY_VERSION"
  fi
}

supply_chain_checks() {
  ensure_deny
  say "Licences, duplicate versions and sources (cargo deny)"
  (cd "$ROOT" && cargo deny --log-level error --locked --config .ci/deny.toml check bans licenses sources)
  local db="${HOLDSPACE_ADVISORY_DB:-}"
  if [ -z "$db" ] || [ ! -d "$db" ]; then
    say "SKIPPED: security advisories (cargo deny advisories, cargo audit): no advisory database copy here; set HOLDSPACE_ADVISORY_DB to a checkout of rustsec/advisory-db to check them"
    return 0
  fi
  if ! cargo audit --version 2>/dev/null | grep -q "$CARGO_AUDIT_VERSION"; then
    say "Installing cargo-audit $CARGO_AUDIT_VERSION"
    cargo install --locked --quiet cargo-audit --version "$CARGO_AUDIT_VERSION" --no-default-features
  fi
  say "Security advisories (cargo audit, cargo deny) against $db"
  (cd "$ROOT" && cargo audit --no-fetch --db "$db" --deny warnings)
  # cargo-deny looks for its database under db-path, in a folder named
  # after the URL's hash (xxh64 of the default advisory-db URL).
  local home status=0; home="$(mktemp -d)"
  ln -s "$(cd "$db" && pwd)" "$home/advisory-db-3157b0e258782691"
  sed "s#^db-urls.*#&\ndb-path = \"$home\"#" "$ROOT/.ci/deny.toml" > "$home/deny.toml"
  (cd "$ROOT" && cargo deny --log-level error --offline --config "$home/deny.toml" check advisories) || status=$?
  rm -rf "$home"
  return "$status"
}

# Formatting and lints, for both builds of the app (server and browser).
lint() {
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    say "Installing leptosfmt $LEPTOSFMT_VERSION"
    cargo install --locked --quiet leptosfmt --version "$LEPTOSFMT_VERSION"
  fi
  say "Formatting (cargo fmt, leptosfmt)"
  (cd "$ROOT" && cargo fmt --all -- --check && leptosfmt --quiet --check --config-file .leptosfmt.toml app/src)
  say "Lints (clippy, server and browser builds)"
  (cd "$ROOT" && cargo clippy --locked --workspace --all-targets -- -D warnings \
    && cargo clippy --locked -p holdspace-app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings)
}
