#!/usr/bin/env bash
# Produces the publishable PowerShell module: OUTDIR/Harness/ with Harness.psd1 (FileList filled in),
# Harness.PowerShell.dll, dependencies/ (Harness.Core and any third-party assembly, loaded in the
# module's own AssemblyLoadContext; native libraries under dependencies/runtimes/<rid>/native/),
# Harness.Format.ps1xml and en-US/ (MAML help from docs/cmdlets, about_Harness).
#   build/module.sh OUTDIR        then: Publish-PSResource -Path OUTDIR/Harness -Repository NAME
# Release build; the checkout's own module/Harness/ is left as it is.
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: build/module.sh OUTDIR   (the module is written to OUTDIR/Harness)" >&2
  exit 1
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)/Harness
# A clean folder: FileList must name exactly what ships.
rm -rf "$out"
dotnet build "$root/src/Harness.PowerShell" -c Release --nologo -v quiet -p:HarnessModuleDir="$out/"
test -f "$out/Harness.psd1" || { echo "build/module.sh: $out/Harness.psd1 was not written" >&2; exit 1; }
echo "$out"
