#!/usr/bin/env bash
# Computes the fixed-output hash of nix/package.nix's Maven dependencies WITHOUT nixpkgs, by doing
# what buildMavenPackage's fetch step does: `mvn package -Dmaven.repo.local=$out/.m2 -DskipTests
# <mvnParameters>` on the same files (pom.xml, src/main, examples/demo-flake), deleting
# *.lastUpdated, resolver-status.properties and _remote.repositories, and taking the NAR sha256
# of the result. It runs twice in fresh directories and writes the hash only if both agree.
# Needs nix (for `nix hash path`), a JDK 17 and access to Maven Central. Every plugin the build
# runs is pinned in pom.xml, so the result does not depend on the Maven version.
# nix/update-mvn-hash.sh is the way with nixpkgs; this one works where nixpkgs is not available.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./mvnw -q -v > /dev/null   # makes sure the wrapper's Maven is downloaded
mvn_bin=$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-*/*/bin/mvn | head -n 1)
params=$(sed -n 's/^    "\(-D[^"]*\)"$/\1/p' nix/package.nix | tr '\n' ' ')
[[ -n $params ]] || { echo "cannot read mvnParameters from nix/package.nix" >&2; exit 1; }

one_run() {
  local work
  work=$(mktemp -d)
  mkdir -p "$work/src/src" "$work/src/examples" "$work/out" "$work/home"
  cp pom.xml "$work/src/"
  cp -r src/main "$work/src/src/"
  cp -r examples/demo-flake "$work/src/examples/"
  # shellcheck disable=SC2086 # params holds several -D flags on purpose
  (cd "$work/src" && HOME="$work/home" "$mvn_bin" -B -ntp -q package -Dmaven.repo.local="$work/out/.m2" \
    -DskipTests $params) >&2
  find "$work/out" -type f \( -name '*.lastUpdated' -o -name resolver-status.properties \
    -o -name _remote.repositories \) -delete
  nix --extra-experimental-features nix-command hash path "$work/out"
  rm -rf "$work"
}

# the pom.xml the hash is for, so that a test notices a pom change without a new hash
stamp_pom() {
  local digest
  digest=$(sha256sum "$root/pom.xml" | cut -d' ' -f1)
  sed -i "s|^# pom.xml sha256 [0-9a-f]*\$|# pom.xml sha256 $digest|" "$root/nix/mvn-hash.nix"
}

first=$(one_run)
second=$(one_run)
if [[ $first != "$second" ]]; then
  echo "the dependency set is not reproducible ($first vs $second); nix/mvn-hash.nix left as it was" >&2
  exit 1
fi
sed -i "s|^\"sha256-[A-Za-z0-9+/=]*\"\$|\"$first\"|" nix/mvn-hash.nix
stamp_pom
echo "nix/mvn-hash.nix: $first"
