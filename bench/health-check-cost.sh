#!/usr/bin/env bash
# bench/health-check-cost.sh A B - what a health check costs `harness entry --json` in two builds,
# alternately in one run, on a small repository whose health_check is `true` (so the time is the
# harness's own: starting the check and watching and recording its process tree, docs/loop.md
# "Processes"). Build both sides with `dotnet publish src/Harness.Cli -c Release -r linux-x64 -o DIR`.
#
# Usage: bash bench/health-check-cost.sh A B [RUNS]   (RUNS timed runs of each, default 40)
# Prints min / median in ms per build and the ratio B/A of the medians.
set -euo pipefail

die() { echo "health-check-cost: $*" >&2; exit 1; }
case "${1:-}" in -h|--help|"") sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -ge 2 ] || die "give two harness executables, A and B (see --help)"
RUNS=${3:-40}
BUILDS=("$(realpath "$1")" "$(realpath "$2")")   # the runs cd
for b in 0 1; do [ -x "${BUILDS[$b]}" ] || die "${BUILDS[$b]} is not an executable"; done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
git init -q . && git config user.email bench@example.com && git config user.name bench
mkdir -p .claude/config && echo '{ "health_check": "true" }' > .claude/config/project.json
git add -A && git commit -qm project

for b in 0 1; do "${BUILDS[$b]}" entry --json > /dev/null; : > "$WORK/times-$b"; done
for _ in $(seq "$RUNS"); do
    for b in 0 1; do
        start=$(date +%s%N)
        "${BUILDS[$b]}" entry --json > /dev/null
        echo $(( ($(date +%s%N) - start) / 1000 )) >> "$WORK/times-$b"
    done
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for b in 0 1; do
    min=$(sort -n "$WORK/times-$b" | head -1)
    med=$(median "$WORK/times-$b")
    printf '%s %-60s min %6.1f ms  median %6.1f ms\n' "$( [ $b -eq 0 ] && echo A || echo B )" "${BUILDS[$b]}" "$(echo "$min / 1000" | bc -l)" "$(echo "$med / 1000" | bc -l)"
done
printf 'B/A of the medians %.3f\n' "$(echo "$(median "$WORK/times-1") / $(median "$WORK/times-0")" | bc -l)"
