#!/usr/bin/env bash
# Recomputes the fixed-output hash of the Maven dependencies (nix/mvn-hash.nix) the standard way:
# build them with a fake hash, read the real one from Nix's hash mismatch, write it back, then
# build the package with it. Run it after every change to pom.xml, on a machine with nix
# (flakes) and network access to Maven Central.
#
# Usage: nix/update-mvn-hash.sh [--check]
#   --check   also rebuild the dependencies once more (`nix build --rebuild`) to prove that the
#             fixed-output derivation is reproducible before committing its hash
#
# Only files tracked by git are seen by the flake: `git add` new source files first.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hash_file=$root/nix/mvn-hash.nix
fake='sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
check=no
for arg in "$@"; do
  case $arg in
    --check) check=yes ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

export NIX_CONFIG="experimental-features = nix-command flakes${NIX_CONFIG:+
$NIX_CONFIG}"
system=$(nix eval --impure --raw --expr builtins.currentSystem)
deps="$root#packages.$system.gitops-sync.fetchedMavenDeps"
package="$root#packages.$system.gitops-sync"

# the hash is the file's only line that is a quoted SRI string
read_hash() { sed -n 's/^"\(sha256-[A-Za-z0-9+\/=]*\)"$/\1/p' "$hash_file"; }
write_hash() {
  sed -i "s|^\"sha256-[A-Za-z0-9+/=]*\"\$|\"$1\"|" "$hash_file"
  [[ $(read_hash) == "$1" ]] || { echo "could not write the hash into $hash_file" >&2; exit 1; }
}

# the pom.xml the hash is for, so that a test notices a pom change without a new hash
stamp_pom() {
  local digest
  digest=$(sha256sum "$root/pom.xml" | cut -d' ' -f1)
  sed -i "s|^# pom.xml sha256 [0-9a-f]*\$|# pom.xml sha256 $digest|" "$root/nix/mvn-hash.nix"
}

old=$(read_hash)
[[ -n $old ]] || { echo "$hash_file: no \"sha256-...\" line found" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
write_hash "$fake"
echo "building the Maven dependencies with a fake hash (downloads from Maven Central)..." >&2
set +e
nix build --no-link -L "$deps" 2>&1 | tee "$log" >&2
status=${PIPESTATUS[0]}
set -e
if [[ $status == 0 ]]; then
  write_hash "$old"
  echo "the build succeeded with the fake hash, which cannot happen; $hash_file left as it was" >&2
  exit 1
fi
got=$(grep -oE 'got: *sha256-[A-Za-z0-9+/]+=*' "$log" | tail -n 1 | sed 's/^got: *//' || true)
if [[ -z $got ]]; then
  write_hash "$old"
  echo "no hash mismatch in the output: the dependency build failed for another reason (see above); $hash_file left as it was" >&2
  exit 1
fi
write_hash "$got"
stamp_pom
if [[ $got == "$old" ]]; then
  echo "mvnHash unchanged: $got" >&2
else
  echo "mvnHash: $old -> $got" >&2
fi

if [[ $check == yes ]]; then
  echo "rebuilding the dependencies to check that they are reproducible..." >&2
  nix build --no-link -L --rebuild "$deps"
fi

echo "building the package with the new hash..." >&2
nix build --no-link -L "$package"
echo "done: commit nix/mvn-hash.nix (and flake.lock if it was created)" >&2
