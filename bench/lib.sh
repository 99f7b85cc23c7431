# bench/lib.sh - what the bench scripts share: timing, statistics and installing the CLI.
# Sourced by entry-vs-seed.sh, guard-vs-seed.sh and loop-overhead.sh (which define die() and REPO_ROOT first).

# Microseconds now. bash >= 5's $EPOCHREALTIME costs no fork; `date` would add ~1 ms a sample.
now_us() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        local t=${EPOCHREALTIME//[.,]/}
        echo "$t"
    else
        echo $(( $(date +%s%N) / 1000 ))
    fi
}

# "min median mean" in ms of the microsecond samples given as arguments.
stats() {
    printf '%s\n' "$@" | sort -n | awk '
        { v[NR] = $1; s += $1 }
        END {
            med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.1f %.1f %.1f\n", v[1] / 1000, med / 1000, s / NR / 1000
        }'
}

# install_harness NAME PACK: the tool as a user installs it. build/pack.sh --cli-only packs the
# Harness.Cli packages into bench/artifacts/feed, then `dotnet tool install --tool-path` installs:
#   HARNESS     Harness.Cli, which on this platform is the Native AOT binary
#   HARNESS_FD  Harness.Cli.any for net10.0: the framework-dependent fallback, which is what
#               `dotnet tool install` gave before the AOT packages (a reference row, same run)
# PACK=0 reuses an earlier install if there is one. HARNESS_BIN wins: it is timed instead, with
# no pack, no install and no reference row.
install_harness() {
    local name=$1 pack=$2 feed=$REPO_ROOT/bench/artifacts/feed tools=$REPO_ROOT/bench/artifacts/tools
    if [ -n "${HARNESS_BIN:-}" ]; then
        HARNESS=$HARNESS_BIN
        HARNESS_FD=""
        echo "$name: using HARNESS_BIN=$HARNESS (no pack, no install)"
        return
    fi

    HARNESS=$tools/native/harness
    HARNESS_FD=$tools/framework-dependent/harness
    if [ "$pack" -eq 0 ] && [ -x "$HARNESS" ] && [ -x "$HARNESS_FD" ]; then
        return
    fi

    echo "$name: packing (build/pack.sh --cli-only) and installing the tool into $tools ..."
    local log version
    log=$(mktemp)
    rm -rf "$feed" "$tools"
    if ! bash "$REPO_ROOT/build/pack.sh" "$feed" --cli-only >"$log" 2>&1; then
        cat "$log" >&2; rm -f "$log"
        die "build/pack.sh failed"
    fi
    version=$(cd "$feed" && ls Harness.Cli.any.*.nupkg | sed 's/^Harness\.Cli\.any\.\(.*\)\.nupkg$/\1/')
    if ! { dotnet tool install --tool-path "$tools/native" Harness.Cli --version "$version" --source "$feed" &&
           dotnet tool install --tool-path "$tools/framework-dependent" Harness.Cli.any --version "$version" --source "$feed" --framework net10.0
         } >"$log" 2>&1; then
        cat "$log" >&2; rm -f "$log"
        die "dotnet tool install from $feed failed"
    fi
    rm -f "$log"
}

# prepare_entry_fixture: FIXTURE (default: bench/fixtures/entry-c2000-f10000, made if missing)
# checked and made absolute; FIXTURE_HEAD its commit; fixture_changes lists what differs from it.
prepare_entry_fixture() {
    local changes
    if [ -z "${FIXTURE:-}" ]; then
        FIXTURE="$REPO_ROOT/bench/fixtures/entry-c2000-f10000"
        if [ ! -f "$FIXTURE/.git/harness-bench-fixture" ]; then
            # Missing, or left half-made by an interrupted run: (re)make it.
            local force=(); [ -e "$FIXTURE" ] && force=(--force)
            bash "$REPO_ROOT/bench/make-fixture.sh" "$FIXTURE" --commits 2000 --features 10000 "${force[@]}"
        fi
    fi
    [ -d "$FIXTURE/.git" ] || die "fixture $FIXTURE is not a git repository"
    [ -f "$FIXTURE/.claude/progress/feature-list.json" ] || die "fixture $FIXTURE has no feature list"
    FIXTURE=$(cd "$FIXTURE" && pwd -P)
    changes=$(fixture_changes)
    if [ -n "$changes" ]; then
        echo "$changes" | head -20 >&2
        die "fixture $FIXTURE differs from its commit (above); remake it: bash bench/make-fixture.sh $FIXTURE --force"
    fi
    FIXTURE_HEAD=$(git -C "$FIXTURE" rev-parse HEAD)
}

# Everything the commands read is committed in the fixture; only state.json (and the harness's
# backup of it, state.json.bak) may differ from HEAD (harness entry rewrites its timestamps).
# Anything else changed means an earlier run or a person altered the work, and timings would
# not be comparable.
fixture_changes() {
    git -C "$FIXTURE" status --porcelain --untracked-files=all -- . ':(exclude).claude/progress/state.json' ':(exclude).claude/progress/state.json.bak'
}

# make_guard_fixture DIR: a project whose state.json says BROKEN with src/** protected, and two
# PreToolUse inputs: DIR/write.json (a Write under src/: blocked, exit 2) and DIR/bash.json (a
# Bash call on the allowlist: allowed, exit 0).
make_guard_fixture() {
    local dir=$1
    mkdir -p "$dir/.claude/progress" "$dir/.claude/config" "$dir/src"
    printf '{\n  "state": "FIX_BROKEN",\n  "health_status": "BROKEN",\n  "history": []\n}\n' > "$dir/.claude/progress/state.json"
    printf '{\n  "project_type": "node",\n  "health_check": "npm test",\n  "guard": { "protected_paths": ["src/**"] }\n}\n' > "$dir/.claude/config/project.json"
    git -C "$dir" init -q 2>/dev/null || true
    printf '{"session_id":"bench","transcript_path":"/dev/null","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"%s/src/app.js","content":"x"},"tool_use_id":"toolu_bench"}\n' "$dir" "$dir" > "$dir/write.json"
    printf '{"session_id":"bench","transcript_path":"/dev/null","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status && npm test 2>&1 | tee out.txt"},"tool_use_id":"toolu_bench"}\n' "$dir" > "$dir/bash.json"
}
