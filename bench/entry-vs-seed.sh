#!/usr/bin/env bash
# bench/entry-vs-seed.sh - wall-clock time of `harness entry --json` against the seed
# bash script (bench/seed/session-entry.sh) on the same fixture, whole process each.
#
# Usage: bash bench/entry-vs-seed.sh [--runs N] [--warmup K] [--fixture DIR] [--no-pack]
#   --runs N       timed runs of each command (default 20)
#   --warmup K     untimed runs of each command first (default 3)
#   --fixture DIR  use this fixture (default bench/fixtures/entry-c2000-f10000, made if missing)
#   --no-pack      reuse the tool installed in bench/artifacts/tools by an earlier run
# Environment:
#   HARNESS_BIN    run this executable instead of the installed tool (no pack, no install);
#                  it is called as  $HARNESS_BIN entry --json --project FIXTURE
#
# The harness timed is the tool as installed (bench/lib.sh: build/pack.sh, dotnet tool install):
# the Native AOT binary here. The framework-dependent fallback from the same feed is timed too,
# as a reference row (what the tool install gave before the AOT packages).
# Target: median(harness) <= median(seed) / 10. Prints min / median / mean in ms and the
# ratio, and writes the same to bench/results/entry-vs-seed.txt.
# Exit status: 0 PASS, 2 FAIL (target missed), 1 anything else went wrong.
#
# Timing uses bash's $EPOCHREALTIME (bash >= 5, microseconds, no fork) and falls back to
# `date +%s%N`; the fork of `date` would add about 1 ms to every sample. The two commands
# are run alternately so that drift in machine load hits both alike.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=20
WARMUP=3
FIXTURE=""
PACK=1
TARGET_RATIO=0.10

die() { echo "entry-vs-seed: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; WARMUP=$2; shift 2 ;;
        --warmup=*) WARMUP=${1#*=}; shift ;;
        --fixture) [ $# -ge 2 ] || die "--fixture needs a value"; FIXTURE=$2; shift 2 ;;
        --fixture=*) FIXTURE=${1#*=}; shift ;;
        --no-pack) PACK=0; shift ;;
        -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$WARMUP" in ''|*[!0-9]*) die "--warmup must be a non-negative integer" ;; esac

for tool in git jq awk sort; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

# --- fixture ---------------------------------------------------------------
prepare_entry_fixture

# --- harness binary --------------------------------------------------------
install_harness entry-vs-seed "$PACK"
command -v "$HARNESS" >/dev/null 2>&1 || [ -x "$HARNESS" ] || die "harness executable not found: $HARNESS"

SEED=(bash "$SCRIPT_DIR/seed/session-entry.sh" "$FIXTURE")
HARN=("$HARNESS" entry --json --project "$FIXTURE")
HARN_FD=()
[ -z "$HARNESS_FD" ] || HARN_FD=("$HARNESS_FD" entry --json --project "$FIXTURE")

ERR=$(mktemp)
OUT=$(mktemp)
trap 'rm -f "$ERR" "$OUT"' EXIT

# run NAME CMD... : run once, stdout to /dev/null; on failure show stderr and stop.
run() {
    local name=$1; shift
    if ! "$@" >/dev/null 2>"$ERR"; then
        echo "entry-vs-seed: $name failed: $*" >&2
        cat "$ERR" >&2
        exit 1
    fi
}


# --- sanity + warm-up ------------------------------------------------------
# The harness must print one JSON document on stdout; check that once.
if ! "${HARN[@]}" >"$OUT" 2>"$ERR"; then
    echo "entry-vs-seed: harness entry failed: ${HARN[*]}" >&2; cat "$ERR" >&2; exit 1
fi
# (jq 1.6 exits 0 on empty input even with -e, hence the -s test.)
[ -s "$OUT" ] && jq -e 'type == "object"' "$OUT" >/dev/null 2>&1 || { echo "entry-vs-seed: harness entry --json did not print a JSON object (is the entry command implemented?):" >&2; head -c 2000 "$OUT" >&2; exit 1; }
run seed "${SEED[@]}"

for ((i = 0; i < WARMUP; i++)); do
    run seed "${SEED[@]}"
    run harness "${HARN[@]}"
    [ ${#HARN_FD[@]} -eq 0 ] || run "harness (framework-dependent)" "${HARN_FD[@]}"
done

# --- timed runs (alternating) ----------------------------------------------
SEED_US=()
HARN_US=()
FD_US=()
for ((i = 0; i < RUNS; i++)); do
    t0=$(now_us)
    if ! "${SEED[@]}" >/dev/null 2>"$ERR"; then echo "entry-vs-seed: seed failed on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; fi
    t1=$(now_us)
    if ! "${HARN[@]}" >/dev/null 2>"$ERR"; then echo "entry-vs-seed: harness failed on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; fi
    t2=$(now_us)
    SEED_US+=($((t1 - t0)))
    HARN_US+=($((t2 - t1)))
    if [ ${#HARN_FD[@]} -gt 0 ]; then
        if ! "${HARN_FD[@]}" >/dev/null 2>"$ERR"; then echo "entry-vs-seed: harness (framework-dependent) failed on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; fi
        FD_US+=($(($(now_us) - t2)))
    fi
done

if [ -n "$(fixture_changes)" ] || [ "$(git -C "$FIXTURE" rev-parse HEAD)" != "$FIXTURE_HEAD" ]; then
    fixture_changes | head -20 >&2
    die "the fixture changed during the runs (beyond state.json); results are not comparable"
fi

# stats LIST... -> "min median mean" in ms with 1 decimal
read -r S_MIN S_MED S_MEAN < <(stats "${SEED_US[@]}")
read -r H_MIN H_MED H_MEAN < <(stats "${HARN_US[@]}")
[ ${#FD_US[@]} -eq 0 ] || read -r F_MIN F_MED F_MEAN < <(stats "${FD_US[@]}")
RATIO=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.3f", h / s }')
SPEEDUP=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.1f", s / h }')
if awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then VERDICT=PASS; else VERDICT=FAIL; fi

COMMITS=$(git -C "$FIXTURE" rev-list --count HEAD)
FEATURES=$(jq '.features | length' "$FIXTURE/.claude/progress/feature-list.json")
REPORT=$(
    echo "entry-vs-seed  $(date -u +%Y-%m-%dT%H:%M:%SZ)  repo $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')  $(uname -srm), $(nproc) cores"
    echo "fixture: $FIXTURE ($COMMITS commits, $FEATURES features, no health check)"
    echo "runs: $RUNS each after $WARMUP warm-up(s), alternating, stdout to /dev/null"
    echo "seed:    ${SEED[*]}"
    echo "harness: ${HARN[*]}"
    [ ${#HARN_FD[@]} -eq 0 ] || echo "framework-dependent: ${HARN_FD[*]}"
    echo ""
    printf '%-30s %10s %10s %10s\n' "" "min ms" "median ms" "mean ms"
    printf '%-30s %10s %10s %10s\n' "seed script" "$S_MIN" "$S_MED" "$S_MEAN"
    printf '%-30s %10s %10s %10s\n' "harness entry (installed)" "$H_MIN" "$H_MED" "$H_MEAN"
    [ ${#FD_US[@]} -eq 0 ] || printf '%-30s %10s %10s %10s   (ratio %s)\n' "framework-dependent fallback" "$F_MIN" "$F_MED" "$F_MEAN" "$(awk -v h="$F_MED" -v s="$S_MED" 'BEGIN { printf "%.3f", h / s }')"
    echo ""
    echo "ratio harness/seed (median): $RATIO  (${SPEEDUP}x faster; target <= $TARGET_RATIO)"
    echo "$VERDICT: harness entry --json median ${H_MED} ms vs seed ${S_MED} ms"
)
echo "$REPORT"

mkdir -p "$SCRIPT_DIR/results"
{
    echo "$REPORT"
    echo ""
    echo "raw seed us:    ${SEED_US[*]}"
    echo "raw harness us: ${HARN_US[*]}"
    [ ${#FD_US[@]} -eq 0 ] || echo "raw framework-dependent us: ${FD_US[*]}"
} > "$SCRIPT_DIR/results/entry-vs-seed.txt"

[ "$VERDICT" = PASS ] || exit 2
