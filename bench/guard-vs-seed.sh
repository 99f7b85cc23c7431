#!/usr/bin/env bash
# bench/guard-vs-seed.sh - wall-clock time of `harness guard` against the seed's python hook
# (bench/seed/block-if-broken.py) on the same hook input, whole process each.
#
# Usage: bash bench/guard-vs-seed.sh [--runs N] [--warmup K] [--no-pack]
#   --runs N       timed runs of each command (default 30)
#   --warmup K     untimed runs of each command first (default 3)
#   --no-pack      reuse the tool installed in bench/artifacts/tools by an earlier run
# Environment:
#   HARNESS_BIN    run this executable instead of the installed tool (no pack, no install);
#                  it is called as  $HARNESS_BIN guard  with the hook JSON on stdin
#   PYTHON         the interpreter for the seed hook (default: the real binary behind python3,
#                  so a version manager's shim, ~100 ms of bash, is not timed)
#
# The harness timed is the tool as installed (bench/lib.sh: build/pack.sh, dotnet tool install):
# the Native AOT binary here. The framework-dependent fallback from the same feed is timed too,
# as a reference row.
# The fixture (made fresh in a temporary folder) is a project whose state.json says BROKEN;
# the input is a PreToolUse Write under src/, which both hooks block (exit 2).
# A second harness row times a Bash call (`git status && npm test | tee out.txt`), which the
# seed cannot check at all, to show the allowlist's cost.
# Target: median(harness) <= median(seed) / 4. Prints min / median / mean in ms and the ratio,
# and writes the same to bench/results/guard-vs-seed.txt.
# Exit status: 0 PASS, 2 FAIL (target missed), 1 anything else went wrong.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=30
WARMUP=3
PACK=1
TARGET_RATIO=0.25

die() { echo "guard-vs-seed: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; WARMUP=$2; shift 2 ;;
        --warmup=*) WARMUP=${1#*=}; shift ;;
        --no-pack) PACK=0; shift ;;
        -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$WARMUP" in ''|*[!0-9]*) die "--warmup must be a non-negative integer" ;; esac
if [ -z "${PYTHON:-}" ]; then
    command -v python3 >/dev/null 2>&1 || die "python3 is required (the seed hook)"
    PYTHON=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
fi
[ -x "$PYTHON" ] || die "PYTHON=$PYTHON is not an executable"

# --- harness binary --------------------------------------------------------
install_harness guard-vs-seed "$PACK"
command -v "$HARNESS" >/dev/null 2>&1 || [ -x "$HARNESS" ] || die "harness executable not found: $HARNESS"

# --- fixture ---------------------------------------------------------------
FIXTURE=$(mktemp -d)
ERR=$(mktemp)
trap 'rm -rf "$FIXTURE" "$ERR"' EXIT
make_guard_fixture "$FIXTURE"
WRITE_INPUT="$FIXTURE/write.json"
BASH_INPUT="$FIXTURE/bash.json"

SEED=("$PYTHON" "$SCRIPT_DIR/seed/block-if-broken.py")
HARN=("$HARNESS" guard)
HARN_FD=()
[ -z "$HARNESS_FD" ] || HARN_FD=("$HARNESS_FD" guard)

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
[ ${#HARN_FD[@]} -eq 0 ] || expect 2 "harness (framework-dependent)" "$WRITE_INPUT" "${HARN_FD[@]}"
for ((i = 0; i < WARMUP; i++)); do
    expect 2 seed "$WRITE_INPUT" "${SEED[@]}"
    expect 2 harness "$WRITE_INPUT" "${HARN[@]}"
    expect 0 "harness (Bash)" "$BASH_INPUT" "${HARN[@]}"
    [ ${#HARN_FD[@]} -eq 0 ] || expect 2 "harness (framework-dependent)" "$WRITE_INPUT" "${HARN_FD[@]}"
done

# --- timed runs (alternating) ----------------------------------------------
SEED_US=()
HARN_US=()
BASH_US=()
FD_US=()
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
    if [ ${#HARN_FD[@]} -gt 0 ]; then
        rc=0; "${HARN_FD[@]}" <"$WRITE_INPUT" >/dev/null 2>"$ERR" || rc=$?
        [ "$rc" -eq 2 ] || { echo "guard-vs-seed: harness (framework-dependent) exited $rc on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; }
        FD_US+=($(($(now_us) - t3)))
    fi
done

read -r S_MIN S_MED S_MEAN < <(stats "${SEED_US[@]}")
read -r H_MIN H_MED H_MEAN < <(stats "${HARN_US[@]}")
read -r B_MIN B_MED B_MEAN < <(stats "${BASH_US[@]}")
[ ${#FD_US[@]} -eq 0 ] || read -r F_MIN F_MED F_MEAN < <(stats "${FD_US[@]}")
RATIO=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.3f", h / s }')
SPEEDUP=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.1f", s / h }')
if awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then VERDICT=PASS; else VERDICT=FAIL; fi

REPORT=$(
    echo "guard-vs-seed  $(date -u +%Y-%m-%dT%H:%M:%SZ)  repo $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')  $(uname -srm), $(nproc) cores"
    echo "input: PreToolUse Write of src/app.js in a project whose state.json says BROKEN (both block, exit 2)"
    echo "runs: $RUNS each after $WARMUP warm-up(s), alternating, stdin from a file, output to /dev/null"
    echo "seed:    ${SEED[*]}"
    echo "harness: ${HARN[*]}"
    [ ${#HARN_FD[@]} -eq 0 ] || echo "framework-dependent: ${HARN_FD[*]}"
    echo ""
    printf '%-30s %10s %10s %10s\n' "" "min ms" "median ms" "mean ms"
    printf '%-30s %10s %10s %10s\n' "seed python hook" "$S_MIN" "$S_MED" "$S_MEAN"
    printf '%-30s %10s %10s %10s\n' "harness guard (installed)" "$H_MIN" "$H_MED" "$H_MEAN"
    printf '%-30s %10s %10s %10s\n' "harness guard (Bash)" "$B_MIN" "$B_MED" "$B_MEAN"
    [ ${#FD_US[@]} -eq 0 ] || printf '%-30s %10s %10s %10s   (ratio %s)\n' "framework-dependent fallback" "$F_MIN" "$F_MED" "$F_MEAN" "$(awk -v h="$F_MED" -v s="$S_MED" 'BEGIN { printf "%.3f", h / s }')"
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
    [ ${#FD_US[@]} -eq 0 ] || echo "raw framework-dependent us: ${FD_US[*]}"
} > "$SCRIPT_DIR/results/guard-vs-seed.txt"

[ "$VERDICT" = PASS ] || exit 2
