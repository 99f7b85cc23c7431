#!/usr/bin/env bash
# bench/guard-vs-seed.sh - wall-clock time of `harness guard` against the seed's python hook
# (bench/seed/block-if-broken.py) on the same hook input, whole process each.
#
# Usage: bash bench/guard-vs-seed.sh [--runs N] [--warmup K] [--no-publish] [--self-contained]
#   --runs N       timed runs of each command (default 30)
#   --warmup K     untimed runs of each command first (default 3)
#   --no-publish   reuse bench/artifacts/harness/harness instead of publishing it again
# Environment:
#   HARNESS_BIN    run this executable instead of the published CLI (no publish step);
#                  it is called as  $HARNESS_BIN guard  with the hook JSON on stdin
#
# The fixture (made fresh in a temporary folder) is a project whose state.json says BROKEN;
# the input is a PreToolUse Write under src/, which both hooks block (exit 2).
# A second harness row times a Bash call (`git status && npm test | tee out.txt`), which the
# seed cannot check at all, to show the allowlist's cost.
# Target: median(harness) <= median(seed) / 3. Prints min / median / mean in ms and the ratio,
# and writes the same to bench/results/guard-vs-seed.txt.
# Exit status: 0 PASS, 2 FAIL (target missed), 1 anything else went wrong.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=30
WARMUP=3
PUBLISH=1
SELF_CONTAINED=0
TARGET_RATIO=0.334

die() { echo "guard-vs-seed: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; WARMUP=$2; shift 2 ;;
        --warmup=*) WARMUP=${1#*=}; shift ;;
        --no-publish) PUBLISH=0; shift ;;
        --self-contained) SELF_CONTAINED=1; shift ;;
        -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$WARMUP" in ''|*[!0-9]*) die "--warmup must be a non-negative integer" ;; esac
command -v python3 >/dev/null 2>&1 || die "python3 is required (the seed hook)"

# --- harness binary --------------------------------------------------------
publish_harness guard-vs-seed "$PUBLISH" "$SELF_CONTAINED"
command -v "$HARNESS" >/dev/null 2>&1 || [ -x "$HARNESS" ] || die "harness executable not found: $HARNESS"

# --- fixture ---------------------------------------------------------------
FIXTURE=$(mktemp -d)
ERR=$(mktemp)
trap 'rm -rf "$FIXTURE" "$ERR"' EXIT
mkdir -p "$FIXTURE/.claude/progress" "$FIXTURE/.claude/config" "$FIXTURE/src"
printf '{\n  "state": "FIX_BROKEN",\n  "health_status": "BROKEN",\n  "history": []\n}\n' > "$FIXTURE/.claude/progress/state.json"
printf '{\n  "project_type": "node",\n  "health_check": "npm test",\n  "guard": { "protected_paths": ["src/**"] }\n}\n' > "$FIXTURE/.claude/config/project.json"
git -C "$FIXTURE" init -q 2>/dev/null || true
WRITE_INPUT="$FIXTURE/write.json"
BASH_INPUT="$FIXTURE/bash.json"
printf '{"session_id":"bench","transcript_path":"/dev/null","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"%s/src/app.js","content":"x"},"tool_use_id":"toolu_bench"}\n' "$FIXTURE" "$FIXTURE" > "$WRITE_INPUT"
printf '{"session_id":"bench","transcript_path":"/dev/null","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status && npm test 2>&1 | tee out.txt"},"tool_use_id":"toolu_bench"}\n' "$FIXTURE" > "$BASH_INPUT"

SEED=(python3 "$SCRIPT_DIR/seed/block-if-broken.py")
HARN=("$HARNESS" guard)

# expect CODE NAME INPUT CMD... : run once in the fixture, check the exit code.
expect() {
    local code=$1 name=$2 input=$3; shift 3
    local rc=0
    (cd "$FIXTURE" && CLAUDE_PROJECT_DIR="$FIXTURE" "$@" <"$input" >/dev/null 2>"$ERR") || rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "guard-vs-seed: $name exited $rc, expected $code: $*" >&2; cat "$ERR" >&2; exit 1
    fi
}


# --- sanity + warm-up ------------------------------------------------------
expect 2 seed "$WRITE_INPUT" "${SEED[@]}"
expect 2 harness "$WRITE_INPUT" "${HARN[@]}"
expect 0 "harness (Bash)" "$BASH_INPUT" "${HARN[@]}"
for ((i = 0; i < WARMUP; i++)); do
    expect 2 seed "$WRITE_INPUT" "${SEED[@]}"
    expect 2 harness "$WRITE_INPUT" "${HARN[@]}"
    expect 0 "harness (Bash)" "$BASH_INPUT" "${HARN[@]}"
done

# --- timed runs (alternating) ----------------------------------------------
SEED_US=()
HARN_US=()
BASH_US=()
cd "$FIXTURE"
export CLAUDE_PROJECT_DIR="$FIXTURE"
for ((i = 0; i < RUNS; i++)); do
    t0=$(now_us)
    rc=0; "${SEED[@]}" <"$WRITE_INPUT" >/dev/null 2>"$ERR" || rc=$?
    [ "$rc" -eq 2 ] || { echo "guard-vs-seed: seed exited $rc on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; }
    t1=$(now_us)
    rc=0; "${HARN[@]}" <"$WRITE_INPUT" >/dev/null 2>"$ERR" || rc=$?
    [ "$rc" -eq 2 ] || { echo "guard-vs-seed: harness exited $rc on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; }
    t2=$(now_us)
    rc=0; "${HARN[@]}" <"$BASH_INPUT" >/dev/null 2>"$ERR" || rc=$?
    [ "$rc" -eq 0 ] || { echo "guard-vs-seed: harness (Bash) exited $rc on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; }
    t3=$(now_us)
    SEED_US+=($((t1 - t0)))
    HARN_US+=($((t2 - t1)))
    BASH_US+=($((t3 - t2)))
done

read -r S_MIN S_MED S_MEAN < <(stats "${SEED_US[@]}")
read -r H_MIN H_MED H_MEAN < <(stats "${HARN_US[@]}")
read -r B_MIN B_MED B_MEAN < <(stats "${BASH_US[@]}")
RATIO=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.3f", h / s }')
SPEEDUP=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.1f", s / h }')
if awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then VERDICT=PASS; else VERDICT=FAIL; fi

REPORT=$(
    echo "guard-vs-seed  $(date -u +%Y-%m-%dT%H:%M:%SZ)  repo $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')  $(uname -srm), $(nproc) cores"
    echo "input: PreToolUse Write of src/app.js in a project whose state.json says BROKEN (both block, exit 2)"
    echo "runs: $RUNS each after $WARMUP warm-up(s), alternating, stdin from a file, output to /dev/null"
    echo "seed:    ${SEED[*]}"
    echo "harness: ${HARN[*]}"
    echo ""
    printf '%-22s %10s %10s %10s\n' "" "min ms" "median ms" "mean ms"
    printf '%-22s %10s %10s %10s\n' "seed python hook" "$S_MIN" "$S_MED" "$S_MEAN"
    printf '%-22s %10s %10s %10s\n' "harness guard" "$H_MIN" "$H_MED" "$H_MEAN"
    printf '%-22s %10s %10s %10s\n' "harness guard (Bash)" "$B_MIN" "$B_MED" "$B_MEAN"
    echo ""
    echo "ratio harness/seed (median, Write): $RATIO  (${SPEEDUP}x faster; target <= $TARGET_RATIO)"
    echo "$VERDICT: harness guard median ${H_MED} ms vs seed ${S_MED} ms"
)
echo "$REPORT"
mkdir -p "$SCRIPT_DIR/results"
{
    echo "$REPORT"
    echo ""
    echo "raw seed us:           ${SEED_US[*]}"
    echo "raw harness us:        ${HARN_US[*]}"
    echo "raw harness (Bash) us: ${BASH_US[*]}"
} > "$SCRIPT_DIR/results/guard-vs-seed.txt"

[ "$VERDICT" = PASS ] || exit 2
