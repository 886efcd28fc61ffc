#!/usr/bin/env bash
# Regenerates the options reference in docs/nixos.md (between the "options:begin" and
# "options:end" markers) from the option declarations in nix/module.nix (see
# nix/options-doc.nix). Needs only nix; OptionsDocTest fails while the section is stale.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
doc=$root/docs/nixos.md
table=$(mktemp)
trap 'rm -f "$table" "$doc.tmp"' EXIT
nix --extra-experimental-features nix-command eval --raw -f "$root/nix/options-doc.nix" > "$table"
grep -q '^<!-- options:begin -->$' "$doc" && grep -q '^<!-- options:end -->$' "$doc" ||
  { echo "$doc: the <!-- options:begin --> / <!-- options:end --> markers are missing" >&2; exit 1; }
awk -v table="$table" '
  /^<!-- options:begin -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /^<!-- options:end -->$/ { skip = 0 }
  !skip { print }
' "$doc" > "$doc.tmp"
mv "$doc.tmp" "$doc"
echo "updated the options reference in docs/nixos.md" >&2
