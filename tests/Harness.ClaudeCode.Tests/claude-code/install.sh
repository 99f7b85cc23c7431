#!/usr/bin/env bash
# Installs the pinned Claude Code CLI (package.json, package-lock.json) into node_modules/ here, for
# the real-CLI test tier (tests/Harness.ClaudeCode.Tests). Run by .ci/run and by the tests' fixture.
# Prints one line. Exit 0: installed (now or before); 3: npm or its registry is unreachable, so the
# tier is skipped; anything else: the install failed, and so does the tier.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

want=$(sed -n 's/.*"@anthropic-ai\/claude-code": *"\([^"]*\)".*/\1/p' package.json)
bin=node_modules/.bin/claude
installed() { [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null | cut -d' ' -f1)" = "$want" ]; }

# One install at a time: the CI step and a test run may start together.
exec 9>.install.lock
command -v flock >/dev/null && flock 9

if installed; then echo "claude-code $want: installed ($PWD/$bin)"; exit 0; fi
command -v npm >/dev/null || { echo "claude-code $want: skipped: npm is not installed"; exit 3; }
timeout 60 npm ping >/dev/null 2>&1 ||
  { echo "claude-code $want: skipped: the npm registry ($(npm config get registry)) is unreachable"; exit 3; }

log=$(mktemp)
if ! timeout 900 npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  echo "claude-code $want: npm ci failed: $(tail -5 "$log" | tr '\n' ' ')"; rm -f "$log"; exit 1
fi
rm -f "$log"

# The package's postinstall puts the native binary in place of bin/claude.exe; run it if npm skipped it.
installed || (cd node_modules/@anthropic-ai/claude-code && node install.cjs >/dev/null 2>&1)
installed || { echo "claude-code $want: installed, but '$bin --version' does not say $want"; exit 1; }
echo "claude-code $want: installed ($PWD/$bin)"
