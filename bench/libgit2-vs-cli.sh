#!/usr/bin/env bash
# bench/libgit2-vs-cli.sh [--runs N] [--warmup W] [--no-pack] - git in-process (libgit2) against the
# git CLI, in one run, on the same build (issue 14). "With the git CLI" is the same binary and module
# with GIT_CONFIG_PARAMETERS set: one of the settings that send a repository to the git CLI
# (docs/git.md), so both rows run the same harness code but for how git is asked.
#   1. CLI entry under Native AOT: `harness entry --json` on the 2,000-commit / 10,000-feature fixture
#   2. checkpoint save on a copy of that fixture (a tracked file changed before each save)
#   3. warm in-process entry in pwsh: Invoke-SessionEntry in one pwsh, after warm-up
#   4. Get-HarnessState over 100 repositories, and Invoke-SessionEntry over the same 100
# Also checks with strace (when installed) that the in-process rows start no git process.
# Prints medians and ratios (libgit2 / git CLI); writes them to bench/results/libgit2-vs-cli.txt.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "libgit2-vs-cli: $*" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"

runs=20 warmup=3 pack=1
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --no-pack) pack=0; shift ;;
        *) die "unknown option: $1" ;;
    esac
done

FORCE_CLI="GIT_CONFIG_PARAMETERS='harness.bench'='git-cli'"
install_harness libgit2-vs-cli "$pack"
prepare_entry_fixture
work=$(mktemp -d "${TMPDIR:-/tmp}/harness-libgit2-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
results=$REPO_ROOT/bench/results/libgit2-vs-cli.txt
mkdir -p "$(dirname "$results")"
report() { echo "$*" | tee -a "$results"; }
: > "$results"
report "libgit2-vs-cli: $(date -u +%Y-%m-%dT%H:%M:%SZ), $runs runs after $warmup warm-ups, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# time_pair NAME CMD...: runs CMD alternately in-process and with the git CLI; prints the medians.
time_pair() {
    local name=$1; shift
    local in_process=() by_cli=() i t0
    for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1; env "$FORCE_CLI" "$@" >/dev/null 2>&1; done
    for ((i = 0; i < runs; i++)); do
        t0=$(now_us); "$@" >/dev/null 2>&1 || die "$name failed: $*"; in_process+=($(( $(now_us) - t0 )))
        t0=$(now_us); env "$FORCE_CLI" "$@" >/dev/null 2>&1 || die "$name (git CLI) failed: $*"; by_cli+=($(( $(now_us) - t0 )))
    done
    print_pair "$name" "$(stats "${in_process[@]}" | cut -d' ' -f2)" "$(stats "${by_cli[@]}" | cut -d' ' -f2)"
}

print_pair() {
    report "$(printf '%-58s libgit2 %8.1f ms   git CLI %8.1f ms   ratio %.3f' "$1" "$2" "$3" "$(awk "BEGIN { print $2 / $3 }")")"
}

# 1. The AOT entry.
time_pair "harness entry --json (AOT), 2,000 commits" "$HARNESS" entry --json --project "$FIXTURE"

# 2. Checkpoint save on a copy (each save commits, so the copy is the bench's own).
copy=$work/checkpoint-fixture
cp -a "$FIXTURE" "$copy"
tracked=$copy/$(git -C "$copy" ls-files src | head -n 1)
save() { echo "$RANDOM" >> "$tracked"; "$HARNESS" checkpoint save --project "$copy" --reason bench; }
export -f save; export tracked copy HARNESS
time_pair "harness checkpoint save (AOT), 2,000 commits" bash -c save

# 3 and 4. PowerShell: the module built in Release, one pwsh for all of it.
if dotnet tool restore >/dev/null 2>&1 && dotnet build "$REPO_ROOT/src/Harness.PowerShell" -c Release --nologo -v quiet >/dev/null 2>&1; then
    repos=$work/repos
    mkdir -p "$repos"
    for i in $(seq 1 100); do
        r=$repos/repo-$i; mkdir -p "$r/.claude/progress"
        git -C "$r" init -q && printf 'x\n' > "$r/a.txt" && printf '{ "state": "IMPLEMENT", "health_status": "HEALTHY" }\n' > "$r/.claude/progress/state.json"
        git -C "$r" add -A && git -C "$r" -c user.name=bench -c user.email=bench@example.invalid commit -qm "repo $i"
    done
    dotnet pwsh -NoProfile -NonInteractive -File "$REPO_ROOT/bench/libgit2-pwsh.ps1" -Fixture "$FIXTURE" -Repositories "$repos" -Runs "$runs" -Warmup "$warmup" |
        while read -r name in_process by_cli; do print_pair "${name//_/ }" "$in_process" "$by_cli"; done
else
    report "pwsh rows skipped: dotnet tool restore or the module build failed"
fi

# No git process in the in-process rows (strace from Debian's strace package).
if command -v strace >/dev/null 2>&1; then
    trace=$work/strace.log
    strace -f -qq -e trace=execve -o "$trace" "$HARNESS" entry --json --project "$FIXTURE" >/dev/null
    echo "$RANDOM" >> "$tracked"
    strace -f -qq -e trace=execve -o "$trace.save" "$HARNESS" checkpoint save --project "$copy" >/dev/null
    spawned=$(cat "$trace" "$trace.save" | grep -c 'execve("[^"]*/git"' || true)
    report "strace: harness entry and checkpoint save started $spawned git process(es)"
    [ "$spawned" -eq 0 ] || die "git processes were started in-process: see $trace"
else
    report "strace: not installed (apt-get install strace); the tests' recording git covers it"
fi
