# bench/lib.sh - what the bench scripts share: timing, statistics and publishing the CLI.
# Sourced by entry-vs-seed.sh and guard-vs-seed.sh (which define die() and REPO_ROOT first).

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

# publish_harness NAME PUBLISH SELF_CONTAINED: sets HARNESS to the CLI to time. HARNESS_BIN wins;
# else the ReadyToRun build (framework-dependent, or self-contained composite) is published
# unless PUBLISH is 0 and it exists already.
publish_harness() {
    local name=$1 publish=$2 self_contained=$3 out args
    if [ -n "${HARNESS_BIN:-}" ]; then
        HARNESS=$HARNESS_BIN
        echo "$name: using HARNESS_BIN=$HARNESS (no publish)"
        return
    fi

    if [ "$self_contained" -eq 1 ]; then
        out=bench/artifacts/harness-self-contained
        # Its own intermediate folder: the SDK's incremental build does not notice the composite
        # switch and would reuse the other build's precompiled files, which then crash at start-up.
        args=(--self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true
              -p:IntermediateOutputPath=obj/Release/net10.0/linux-x64-composite/)
    else
        out=bench/artifacts/harness
        args=(--self-contained false -p:PublishReadyToRun=true)
    fi

    HARNESS="$REPO_ROOT/$out/harness"
    if [ "$publish" -eq 1 ] || [ ! -x "$HARNESS" ]; then
        echo "$name: publishing src/Harness.Cli (Release, linux-x64, ${args[*]}) ..."
        local log
        log=$(mktemp)
        if ! (cd "$REPO_ROOT" && dotnet publish src/Harness.Cli -c Release -f net10.0 -r linux-x64 "${args[@]}" -o "$out") >"$log" 2>&1; then
            cat "$log" >&2; rm -f "$log"
            die "dotnet publish failed"
        fi
        rm -f "$log"
    fi
}
