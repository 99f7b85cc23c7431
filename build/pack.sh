#!/usr/bin/env bash
# build/pack.sh FEED [--rids LIST] [--native-only | --cli-only] - builds every Harness package
# into the folder FEED (a local NuGet feed; made if missing):
#   Harness.Cli.<v>.nupkg        the tool's pointer package: names the packages below (.NET 10 SDK)
#   Harness.Cli.<rid>.<v>.nupkg  the Native AOT binary for this machine's platform (linux-x64 here),
#                                published with warnings as errors
#   Harness.Cli.any.<v>.nupkg    the framework-dependent fallback (net8.0 and net10.0) for the rest
#   Harness.Build.<v>.nupkg      the MSBuild tasks
#   Harness.<v>.nupkg            the PowerShell module, laid out as Publish-PSResource packs it
# Then: dotnet tool install --tool-path DIR Harness.Cli --add-source FEED   (docs/packaging.md)
#
#   --rids LIST    the AOT platforms the pointer names, ';'-separated (default: this machine's).
#                  Name only platforms whose package will be in the feed: the SDK installs the
#                  named package or fails, and falls back to Harness.Cli.any only for the others.
#   --native-only  pack only this machine's AOT package (a CI runner of another platform does
#                  this; examples/github-actions/pack.yml gathers them).
#   --cli-only     pack the three Harness.Cli packages only (bench/ does this).
# After packing, the tool is installed from FEED into a temporary folder and checked: here the
# command is the native binary itself, and the net8.0 fallback resolves to the net8.0 build.
# AOT cannot cross-compile to another OS, so each platform's package is built on that platform.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
configuration=Release
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

die() { echo "pack: $*" >&2; exit 1; }
usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

feed="" rids="" native_only=0 cli_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rids) [ $# -ge 2 ] || die "--rids needs a value, e.g. --rids 'linux-x64;osx-arm64'"; rids=$2; shift 2 ;;
        --rids=*) rids=${1#*=}; shift ;;
        --native-only) native_only=1; shift ;;
        --cli-only) cli_only=1; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) die "unknown option: $1 (see --help)" ;;
        *) [ -z "$feed" ] || die "one FEED folder only (got '$feed' and '$1')"; feed=$1; shift ;;
    esac
done
[ -n "$feed" ] || { usage >&2; exit 1; }
mkdir -p "$feed"
feed=$(cd "$feed" && pwd)

host_rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)
[ -n "$host_rid" ] || die "'dotnet --info' names no RID: is the .NET SDK installed?"
rids=${rids:-$host_rid}
case ";$rids;" in *";$host_rid;"*) ;; *) die "--rids '$rids' must include this machine's platform ($host_rid): its package is built here" ;; esac
case ";$rids;" in *";any;"*) die "--rids lists AOT platforms only; 'any' (the fallback) is always added" ;; esac

# The pointer must not name a platform whose package is missing: installs there would fail.
missing_rid_packages() {
    local rid
    for rid in ${rids//;/ }; do
        [ "$rid" = "$host_rid" ] || [ -f "$feed/Harness.Cli.$rid.$version.nupkg" ] || echo "$rid"
    done
}

# The same list for every Harness.Cli pack, so each package names the same set. Quoted for
# MSBuild, which would otherwise split the value at ';' into separate switches.
cli_props=(-c "$configuration" "-p:ToolPackageRuntimeIdentifiers=\"$rids;any\"")

# One RID package per pack: the publish folder is reused between packs, and a stale file left in
# it (an earlier build's debug symbols, say) would be packed too.
clean_publish_dir() {
    rm -rf "$repo/src/Harness.Cli/bin/$configuration/"*/"$1/publish"
}

pack_cli_native() {
    echo "== Harness.Cli.$host_rid: Native AOT, warnings as errors"
    clean_publish_dir "$host_rid"
    dotnet pack "$repo/src/Harness.Cli" "${cli_props[@]}" -r "$host_rid" -warnaserror -o "$feed"
}

pack_cli_fallback() {
    echo "== Harness.Cli.any: framework-dependent (net8.0, net10.0)"
    clean_publish_dir any
    dotnet pack "$repo/src/Harness.Cli" "${cli_props[@]}" -r any -o "$feed"
}

pack_cli_pointer() {
    echo "== Harness.Cli: the pointer package (names $rids;any)"
    dotnet pack "$repo/src/Harness.Cli" "${cli_props[@]}" -o "$feed"
}

pack_msbuild_tasks() {
    echo "== Harness.Build"
    dotnet pack "$repo/src/Harness.Build" -c "$configuration" -o "$feed"
}

# install_tool DIR PACKAGE [ARGS...]: `dotnet tool install` of this build's version from FEED only
# (another source could hold a package of the same name).
install_tool() {
    local dir=$1 package=$2; shift 2
    rm -rf "$dir"
    dotnet tool install --tool-path "$dir" "$package" --version "$version" --source "$feed" "$@" >/dev/null
}

# git runs in-process (docs/git.md): libgit2 sits beside the native binary, an entry reads a
# repository with no git on PATH, and what it reads equals what the git CLI gives (forced here
# with GIT_CONFIG_PARAMETERS, one of the settings that send a repository to the git CLI).
check_libgit2_loads() {
    local command=$1 folder=$2 repo=$work/libgit2-check in_process by_cli
    ls "$folder"/*git2* >/dev/null 2>&1 || die "no libgit2 beside $folder/harness (the RID package must carry it)"
    rm -rf "$repo" && mkdir -p "$repo" && git -C "$repo" init -q
    printf 'a\n' > "$repo/a.txt" && printf 'n\n' > "$repo/naïve file.txt"
    git -C "$repo" add -A && git -C "$repo" -c user.name=pack -c user.email=pack@example.invalid commit -q -m "first: ünïcode"
    printf 'b\n' > "$repo/a.txt" && printf 'u\n' > "$repo/untracked.txt"
    (cd "$repo" && "$command" entry --json >/dev/null) || die "harness entry failed in $repo"
    in_process=$(cd "$repo" && env PATH=/nonexistent "$command" entry --json | git_section) || die "harness entry failed with no git on PATH"
    by_cli=$(cd "$repo" && env GIT_CONFIG_PARAMETERS="'harness.pack-check'='1'" "$command" entry --json | git_section)
    case "$(printf '%s' "$in_process" | tr -d ' \n\r')" in
        *'"is_repository":true,"error":null'*) ;;
        *) die "harness entry did not read the repository in-process: $in_process" ;;
    esac
    [ "$in_process" = "$by_cli" ] || die "the in-process git answers differ from the git CLI's:
$in_process
--- git CLI:
$by_cli"
    echo "libgit2: $(cd "$folder" && ls *git2*) beside the binary; entry reads git in-process (no git on PATH) as the git CLI does"
}

# The "git" object of `harness entry --json` (indented: from its key to its closing brace).
git_section() { sed -n '/^  "git": {/,/^  },\{0,1\}$/p'; }

# What a user gets. On this platform: the command is the AOT binary itself (the SDK links it, no
# harness.dll, no dotnet launcher). Elsewhere, where no AOT package exists: Harness.Cli.any, and
# with --framework net8.0 its net8.0 build, framework-dependent on .NET 8 (it runs on later
# runtimes too: rollForward Major).
check_tool_installs() {
    echo "== checking the installs from $feed"
    local dir=$work/tools binary config
    install_tool "$dir/native" Harness.Cli
    binary=$(cd "$dir/native" && readlink -f harness)
    case "$binary" in
        */tools/any/"$host_rid"/harness) ;;
        *) die "the installed harness is $binary, not the $host_rid AOT binary" ;;
    esac
    [ ! -e "$(dirname "$binary")/harness.dll" ] || die "harness.dll beside $binary: not a native build"
    command -v file >/dev/null 2>&1 && echo "harness: $(file -b "$binary")"
    "$dir/native/harness" --version >/dev/null || die "the installed $binary does not run"
    check_libgit2_loads "$dir/native/harness" "$(dirname "$binary")"

    install_tool "$dir/fallback" Harness.Cli.any --framework net8.0
    config=$(find "$dir/fallback/.store" -path '*/tools/net8.0/any/harness.runtimeconfig.json')
    grep -q '"version": "8.0.0"' "$config" 2>/dev/null || die "the net8.0 fallback is not framework-dependent on .NET 8 (${config:-no tools/net8.0/any/harness.runtimeconfig.json})"
    "$dir/fallback/harness" --version >/dev/null || die "the net8.0 fallback does not run (it needs a .NET 8 or later runtime)"
    echo "fallback: tools/net8.0/any/harness.dll, framework-dependent (Microsoft.NETCore.App 8.0.0, rollForward Major)"
}

# psd1_value FILE KEY: the quoted value of a one-line `KEY = '...'` in a module manifest.
psd1_value() {
    local value
    value=$(psd1_optional "$1" "$2")
    [ -n "$value" ] || die "$1: no $2 = '...' line; the module package needs it"
    printf '%s' "$value"
}

# psd1_optional FILE KEY: the same, empty when the manifest has no such line.
psd1_optional() {
    sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*'\(.*\)'[[:space:]]*\$/\1/p" "$1" | head -n 1
}

xml_escape() {
    local s=${1//&/&amp;}
    s=${s//</&lt;}
    printf '%s' "${s//>/&gt;}"
}

# The nuspec Publish-PSResource writes for a module: id is the manifest's name, the metadata
# comes from the manifest, tags are PSModule plus PrivateData.PSData.Tags, the files are the
# whole module base at the package root.
write_module_nuspec() {
    local base=$1 manifest=$1/$2.psd1 tags project_url=""
    tags=$(sed -n "s/^[[:space:]]*Tags[[:space:]]*=[[:space:]]*@(\(.*\))[[:space:]]*\$/\1/p" "$manifest" | tr -d "',")
    # Publish-PSResource writes a projectUrl only for a manifest with ProjectUri; so does this.
    [ -z "$(psd1_optional "$manifest" ProjectUri)" ] || project_url="<projectUrl>$(xml_escape "$(psd1_optional "$manifest" ProjectUri)")</projectUrl>"
    cat > "$base/$2.nuspec" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>$2</id>
    <version>$(xml_escape "$(psd1_value "$manifest" ModuleVersion)")</version>
    <authors>$(xml_escape "$(psd1_value "$manifest" Author)")</authors>
    <owners>$(xml_escape "$(psd1_value "$manifest" CompanyName)")</owners>
    <requireLicenseAcceptance>false</requireLicenseAcceptance>
    <licenseUrl>$(xml_escape "$(psd1_value "$manifest" LicenseUri)")</licenseUrl>
    $project_url
    <description>$(xml_escape "$(psd1_value "$manifest" Description)")</description>
    <copyright>$(xml_escape "$(psd1_value "$manifest" Copyright)")</copyright>
    <tags>$(xml_escape "PSModule $tags")</tags>
  </metadata>
  <files>
    <file src="**" exclude="$2.nuspec" target="" />
  </files>
</package>
EOF
}

# Every file the manifest loads must be in the package, or Import-Module fails after install.
check_module_files() {
    local base=$1 manifest=$1/$2.psd1 file
    for file in "$(psd1_value "$manifest" RootModule)" \
                $(sed -n "s/^[[:space:]]*FormatsToProcess[[:space:]]*=[[:space:]]*@(\(.*\))[[:space:]]*\$/\1/p" "$manifest" | tr -d "',"); do
        [ -f "$base/$file" ] || die "$manifest names $file, which the build did not produce (looked in $base)"
    done
}

pack_powershell_module() {
    echo "== Harness (PowerShell module)"
    # build/module.sh lays the module out as it installs: module base = $work/Harness, the
    # manifest's FileList filled in, dependencies/ (Harness.Core, LibGit2Sharp, libgit2 for every
    # RID under runtimes/<rid>/native/) for the module's own load context.
    local stage
    stage=$(bash "$repo/build/module.sh" "$work" | tail -n 1)
    check_module_files "$stage" Harness
    check_module_libgit2 "$stage"
    write_module_nuspec "$stage" Harness
    # The nuspec does the packing; the project only gives `dotnet pack` something to run (no build).
    # NU5100: the assemblies are loaded by Import-Module, not referenced from lib/ by projects.
    # NU5125: licenseUrl is what Publish-PSResource writes and the PowerShell Gallery shows.
    dotnet pack "$repo/src/Harness.PowerShell" -c "$configuration" --no-build -o "$feed" \
        -p:NuspecFile="$stage/Harness.nuspec" -p:NuspecBasePath="$stage" "-p:NoWarn=\"NU5100;NU5125\""
}

# git runs in-process in the module too (docs/git.md): libgit2 for every RID LibGit2Sharp.NativeBinaries
# carries, these three at least.
check_module_libgit2() {
    local rid
    [ -f "$1/dependencies/LibGit2Sharp.dll" ] || die "the module has no dependencies/LibGit2Sharp.dll"
    for rid in linux-x64 win-x64 osx-arm64; do
        ls "$1/dependencies/runtimes/$rid/native/"*git2* >/dev/null 2>&1 || die "the module has no libgit2 for $rid (dependencies/runtimes/$rid/native/)"
    done
    echo "module: LibGit2Sharp and libgit2 for $(ls "$1/dependencies/runtimes" | tr '\n' ' ')"
}

[ $((native_only + cli_only)) -le 1 ] || die "--native-only and --cli-only exclude each other"
version=$(dotnet msbuild "$repo/src/Harness.Cli" -getProperty:Version)
work=$(mktemp -d "${TMPDIR:-/tmp}/harness-pack.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ "$native_only" -eq 0 ] && [ -n "$(missing_rid_packages)" ]; then
    die "--rids names $(missing_rid_packages | tr '\n' ' ')but $feed has no Harness.Cli.<rid>.$version.nupkg for it: pack those on their platform (--native-only) and copy them into $feed first"
fi

pack_cli_native
if [ "$native_only" -eq 0 ]; then
    pack_cli_fallback
    pack_cli_pointer
    if [ "$cli_only" -eq 0 ]; then
        pack_msbuild_tasks
        pack_powershell_module
    fi
    check_tool_installs
fi

echo "== packages in $feed"
ls -1 "$feed"/*.nupkg
