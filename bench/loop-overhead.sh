#!/usr/bin/env bash
# bench/loop-overhead.sh - what `harness loop` itself costs per iteration, as installed: entry,
# session start, the agent process, integrity check, handoff (summary, checkpoint commit, metrics),
# with an agent that does nothing (`true`), no health check and no delay between sessions.
#
# Usage: bash bench/loop-overhead.sh [--runs N] [--iterations M] [--no-pack]
#   --runs N        timed loops of each length per build (default 7)
#   --iterations M  sessions in the long loop (default 16)
#   --no-pack       reuse the tool installed in bench/artifacts/tools by an earlier run
# Environment:
#   HARNESS_BIN     run this executable instead of the installed tool (no pack, no install)
#
# Each run times a 1-session loop and an M-session loop on fresh copies of the same project
# (20 pending features, committed); per iteration = (median(M) - median(1)) / (M - 1), which
# leaves out the process start-up and the first entry. The installed tool (the Native AOT binary
# here) and the framework-dependent fallback from the same feed are timed alternately.
# No target of its own: reported, and kept no worse than the framework-dependent build.
# Writes the figures to bench/results/loop-overhead.txt. Exit status: 0 done, 1 an error.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=7
ITERATIONS=16
PACK=1

die() { echo "loop-overhead: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --iterations) [ $# -ge 2 ] || die "--iterations needs a value"; ITERATIONS=$2; shift 2 ;;
        --iterations=*) ITERATIONS=${1#*=}; shift ;;
        --no-pack) PACK=0; shift ;;
        -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$ITERATIONS" in ''|*[!0-9]*|0|1) die "--iterations must be an integer of at least 2" ;; esac
# Each feature is blocked after 3 sessions without progress: 20 features last 60 sessions.
[ "$ITERATIONS" -le 60 ] || die "--iterations must be at most 60 (20 features, 3 attempts each)"

install_harness loop-overhead "$PACK"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# An identity for the harness's checkpoint commits only: git config is never changed.
export GIT_AUTHOR_NAME="Harness bench" GIT_AUTHOR_EMAIL="bench@harness.invalid"
export GIT_COMMITTER_NAME="Harness bench" GIT_COMMITTER_EMAIL="bench@harness.invalid"

TEMPLATE=$WORK/template
mkdir -p "$TEMPLATE/.claude/config" "$TEMPLATE/.claude/progress"
printf '{ "project_type": "generic" }\n' > "$TEMPLATE/.claude/config/project.json"
{
    printf '{ "features": [\n'
    for ((f = 1; f <= 20; f++)); do
        printf '  { "id": "F%02d", "name": "feature %d", "description": "d", "category": "c", "steps": ["s"], "status": "pending" }%s\n' "$f" "$f" "$([ "$f" -lt 20 ] && echo ,)"
    done
    printf '] }\n'
} > "$TEMPLATE/.claude/progress/feature-list.json"
git -C "$TEMPLATE" init -q
git -C "$TEMPLATE" add -A
git -C "$TEMPLATE" commit -q -m "20 pending features"

# loop_us BINARY SESSIONS: microseconds of one loop of SESSIONS sessions on a fresh copy.
loop_us() {
    local dir=$WORK/run t0 t1 out=$WORK/out.json
    rm -rf "$dir"
    cp -a "$TEMPLATE" "$dir"
    t0=$(now_us)
    "$1" loop --project "$dir" --agent-command true --max-iterations "$2" --stall-limit 1000 \
        --continue-delay 0 --no-health --json >"$out" 2>"$WORK/err" || true
    t1=$(now_us)
    # Stopped by the iteration limit after exactly that many sessions, or the figure means nothing.
    grep -q '"stop_reason":"max_iterations"' "$out" && grep -q "\"sessions_run\":$2," "$out" || {
        cat "$WORK/err" >&2; tail -3 "$out" >&2
        die "$1 loop --max-iterations $2 did not run to its limit"
    }
    echo $((t1 - t0))
}

BUILDS=(installed)
BINARIES=("$HARNESS")
if [ -n "$HARNESS_FD" ]; then BUILDS+=(framework-dependent); BINARIES+=("$HARNESS_FD"); fi

for b in "${!BINARIES[@]}"; do loop_us "${BINARIES[$b]}" 2 >/dev/null; done   # warm-up (and the check)
declare -A SHORT LONG
for ((i = 0; i < RUNS; i++)); do
    for b in "${!BINARIES[@]}"; do
        SHORT[$b]+="$(loop_us "${BINARIES[$b]}" 1) "
        LONG[$b]+="$(loop_us "${BINARIES[$b]}" "$ITERATIONS") "
    done
done

REPORT=$(
    echo "loop-overhead  $(date -u +%Y-%m-%dT%H:%M:%SZ)  repo $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')  $(uname -srm), $(nproc) cores"
    echo "loop: --agent-command true --max-iterations 1 | $ITERATIONS --stall-limit 1000 --continue-delay 0 --no-health --json; 20 pending features"
    echo "runs: $RUNS of each length per build, alternating"
    echo ""
    printf '%-22s %16s %16s %18s\n' "" "1 session ms" "$ITERATIONS sessions ms" "per iteration ms"
    for b in "${!BINARIES[@]}"; do
        # shellcheck disable=SC2086 # the samples are space-separated on purpose
        read -r _ s_med _ < <(stats ${SHORT[$b]})
        # shellcheck disable=SC2086
        read -r _ l_med _ < <(stats ${LONG[$b]})
        printf '%-22s %16s %16s %18s\n' "${BUILDS[$b]}" "$s_med" "$l_med" \
            "$(awk -v s="$s_med" -v l="$l_med" -v n="$ITERATIONS" 'BEGIN { printf "%.1f", (l - s) / (n - 1) }')"
    done
    echo "(medians; per iteration = (median of $ITERATIONS sessions - median of 1) / $((ITERATIONS - 1)))"
)
echo "$REPORT"
mkdir -p "$SCRIPT_DIR/results"
{
    echo "$REPORT"
    echo ""
    for b in "${!BINARIES[@]}"; do
        echo "raw ${BUILDS[$b]} 1-session us: ${SHORT[$b]}"
        echo "raw ${BUILDS[$b]} $ITERATIONS-session us: ${LONG[$b]}"
    done
} > "$SCRIPT_DIR/results/loop-overhead.txt"
