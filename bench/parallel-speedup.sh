#!/usr/bin/env bash
# bench/parallel-speedup.sh - the wall-clock speed-up of `harness loop --parallel N` when the
# agent's latency dominates: a scripted agent that waits a fixed time per session (the model's
# latency), then marks its feature completed, writes a file of its own and commits. The same
# project (F pending features, committed) is run with N = 1 (the sequential loop), 2 and 4,
# alternately, in one run; the ratio is median(N=1) / median(N).
#
# Usage: bash bench/parallel-speedup.sh [--runs R] [--features F] [--latency S] [--no-pack]
#   --runs R       timed loops per N (default 3)
#   --features F   pending features in the project (default 8)
#   --latency S    seconds each agent session waits (default 3)
#   --no-pack      reuse the tool installed in bench/artifacts/tools by an earlier run
# Environment:
#   HARNESS_BIN    run this executable instead of the installed tool (no pack, no install)
#
# Target (issue 16): at least 1.8x at N = 2. Writes the figures to
# bench/results/parallel-speedup.txt. Exit status: 0 target met, 2 target missed, 1 an error.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=3
FEATURES=8
LATENCY=3
PACK=1

die() { echo "parallel-speedup: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --features) [ $# -ge 2 ] || die "--features needs a value"; FEATURES=$2; shift 2 ;;
        --latency) [ $# -ge 2 ] || die "--latency needs a value"; LATENCY=$2; shift 2 ;;
        --no-pack) PACK=0; shift ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$FEATURES" in ''|*[!0-9]*|0|1) die "--features must be an integer of at least 2" ;; esac
case "$LATENCY" in ''|*[!0-9.]*) die "--latency must be a number of seconds" ;; esac

install_harness parallel-speedup "$PACK"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# An identity for the agent's commits only: git config is never changed.
export GIT_AUTHOR_NAME="Harness bench" GIT_AUTHOR_EMAIL="bench@harness.invalid"
export GIT_COMMITTER_NAME="Harness bench" GIT_COMMITTER_EMAIL="bench@harness.invalid"

# The scripted agent: the model's latency, then its feature (a parallel worker's HARNESS_FEATURE_ID,
# else the first pending one) completed, a file of its own, a commit.
AGENT=$WORK/agent.sh
cat > "$AGENT" <<'AGENT_EOF'
#!/bin/sh
set -eu
sleep "$BENCH_LATENCY"
list=.claude/progress/feature-list.json
# The harness rewrites the list indented (one field a line): the id's line, then its status line.
id=${HARNESS_FEATURE_ID:-$(awk '/"id"/ { split($0, q, "\""); id = q[4] } /"status": *"pending"/ { print id; exit }' "$list")}
awk -v id="\"$id\"" 'index($0, id) && /"id"/ { hit = 1 } hit && /"status"/ { sub(/"pending"/, "\"completed\""); hit = 0 } { print }' "$list" > "$list.tmp"
mv "$list.tmp" "$list"
mkdir -p src
echo "$id done" > "src/$id.txt"
git add -A
git commit -q -m "feat: $id"
AGENT_EOF
export BENCH_LATENCY=$LATENCY

TEMPLATE=$WORK/template
mkdir -p "$TEMPLATE/.claude/config" "$TEMPLATE/.claude/progress"
printf '{ "project_type": "generic" }\n' > "$TEMPLATE/.claude/config/project.json"
{
    printf '{ "features": [\n'
    for ((f = 1; f <= FEATURES; f++)); do
        sep=$([ "$f" -lt "$FEATURES" ] && echo , || true)
        printf '  { "id": "F%02d", "name": "Feature %d", "description": "d", "category": "functional", "steps": [], "status": "pending", "attempts": 0, "notes": "" }%s\n' "$f" "$f" "$sep"
    done
    printf '] }\n'
} > "$TEMPLATE/.claude/progress/feature-list.json"
git -C "$TEMPLATE" init -q -b main
git -C "$TEMPLATE" add -A
git -C "$TEMPLATE" commit -q -m "project"

declare -A samples
for ((run = 1; run <= RUNS; run++)); do
    for n in 1 2 4; do
        project=$WORK/run-$run-n$n
        cp -a "$TEMPLATE" "$project"
        start=$(now_us)
        if ! (cd "$project" && "$HARNESS" loop --parallel "$n" --agent-command "sh $AGENT" --continue-delay 0 --no-health --no-guard-hooks >"$project.log" 2>&1); then
            cat "$project.log" >&2
            die "the loop with --parallel $n did not finish"
        fi
        end=$(now_us)
        done_count=$(grep -c '"status": "completed"' "$project/.claude/progress/feature-list.json" || true)
        [ "$done_count" -eq "$FEATURES" ] || die "--parallel $n finished $done_count of $FEATURES features"
        samples[$n]="${samples[$n]:-} $((end - start))"
        echo "run $run, N=$n: $(( (end - start) / 1000 )) ms"
    done
done

mkdir -p "$REPO_ROOT/bench/results"
report=$REPO_ROOT/bench/results/parallel-speedup.txt
read -r _ base _ <<<"$(stats ${samples[1]})"
status=0
{
    echo "parallel-speedup: $FEATURES features, agent latency ${LATENCY} s, $RUNS run(s) per N, $HARNESS"
    echo "N  min_ms  median_ms  mean_ms  speed-up (median N=1 / median N)"
    for n in 1 2 4; do
        read -r min med mean <<<"$(stats ${samples[$n]})"
        ratio=$(awk -v a="$base" -v b="$med" 'BEGIN { printf "%.2f", a / b }')
        echo "$n  $min  $med  $mean  ${ratio}x"
        if [ "$n" -eq 2 ] && ! awk -v r="$ratio" 'BEGIN { exit !(r >= 1.8) }'; then status=2; fi
    done
    [ "$status" -eq 0 ] && echo "target met: >= 1.8x at N = 2" || echo "target MISSED: < 1.8x at N = 2"
} | tee "$report"
exit "$status"
