#!/usr/bin/env bash
# bench/feature-formats.sh - the feature-list reader on the same 10 000 features in the seed
# format, the quickstart's feature_list.json and Ralph's prd.json, in one run (in process,
# Release build): LoadSummary (what the entry runs every session) and Load, the median of each and
# its ratio to the seed format's.
#
# Usage: bash bench/feature-formats.sh [ROUNDS]   (default 40 rounds after 5 warm-ups)
# Environment: HARNESS_BENCH_BASELINE_CORE=/path/to/Harness.Core.dll of an earlier build adds a row
#   "Seed@baseline", the seed list read by that build in the same rounds (before and after).
# Writes the figures to bench/results/feature-formats.txt. Exit status: 0 done, 1 an error.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
ROUNDS=${1:-40}
case "$ROUNDS" in -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
mkdir -p "$SCRIPT_DIR/results"
dotnet run -c Release --project "$REPO_ROOT/bench/Harness.Benchmarks" -- feature-formats "$ROUNDS" | tee "$SCRIPT_DIR/results/feature-formats.txt"
