#!/usr/bin/env bash
# Benchmark of the embedded CI engine (not a test): one flake with 200 independent checks of
# ~0.1 s of shell work each plus 20 chains of 5 derivations, built
#   1. by `gitops-sync ci`,
#   2. by one `nix build --max-jobs N` of every check,
#   3. by `nix flake check --max-jobs N`,
# with the same parallelism N, each on its own salted copy so nothing is shared; then the same
# three again with everything already built. Prints wall times and ratios.
#
# Usage: bench/ci/run.sh [N]     (N defaults to the number of cores)
# Needs: nix (flakes), git, java 17; builds the app first if target/quarkus-app is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${1:-$(nproc)}
checks=${BENCH_CI_CHECKS:-200}   # bench/run --quick makes the flake smaller
chains=${BENCH_CI_CHAINS:-20}
chain_length=5
loop=90000   # iterations of a dash counting loop: about 0.1 s on the reference machine

export NIX_CONFIG=${NIX_CONFIG:-$'experimental-features = nix-command flakes\nsubstituters ='}
if [[ -x "$here/bin/gitops-sync" ]]; then
  gitops=("$here/bin/gitops-sync")
else
  if [[ ! -f "$here/target/quarkus-app/quarkus-run.jar" ]]; then
    (cd "$here" && ./mvnw -q -B package -DskipTests)
  fi
  # a command-line JVM: C1 only, serial GC, and a class-data archive made once before timing
  # (what a packaged launcher should do; Quarkus can build the archive: quarkus.package.jar.appcds)
  gitops=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$here/target/quarkus-app/quarkus-run.jar")
  cds=yes
fi
system=$(nix --extra-experimental-features 'nix-command flakes' eval --impure --raw --expr builtins.currentSystem)
work=$(mktemp -d /tmp/gitops-ci-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# make_flake DIR SALT: writes and commits the benchmark flake
make_flake() {
  local dir=$1 salt=$2
  mkdir -p "$dir"
  {
    echo '{'
    echo '  outputs = { self }:'
    echo '    let'
    echo "      system = \"$system\";"
    echo '      work = name: deps: derivation {'
    echo "        inherit name system; salt = \"$salt\";"
    echo '        builder = "/bin/sh";'
    echo "        args = [ \"-c\" \"i=0; while [ \$i -lt $loop ]; do i=\$((i+1)); done; echo \${toString deps} > \$out\" ];"
    echo '      };'
    echo '      chain = c: builtins.foldl'"'"' (prev: k: work "chain-${toString c}-${toString k}" [ prev ])'
    echo "        (work \"chain-\${toString c}-0\" [ ]) (builtins.genList (k: k + 1) $((chain_length - 1)));"
    echo '    in {'
    echo '      checks.${system} ='
    echo "        builtins.listToAttrs (builtins.genList (i: { name = \"check-\${toString i}\"; value = work \"check-\${toString i}\" [ ]; }) $checks)"
    echo "        // builtins.listToAttrs (builtins.genList (c: { name = \"chain-\${toString c}\"; value = chain c; }) $chains);"
    echo '    };'
    echo '}'
  } > "$dir/flake.nix"
  git -C "$dir" init -q -b main
  git -C "$dir" add flake.nix
  git -C "$dir" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false commit -q -m bench
  echo "git+file://$dir?ref=refs/heads/main&rev=$(git -C "$dir" rev-parse HEAD)"
}

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

salt=$(date +%s%N)
ours_ref=$(make_flake "$work/ours" "ours-$salt")
build_ref=$(make_flake "$work/build" "build-$salt")
check_ref=$(make_flake "$work/check" "check-$salt")
attrs=()
for ((i = 0; i < checks; i++)); do attrs+=("$build_ref#checks.$system.check-$i"); done
for ((c = 0; c < chains; c++)); do attrs+=("$build_ref#checks.$system.chain-$c"); done

cat > "$work/gitops.toml" <<TOML
hostname = "bench"
state_dir = "$work/state"
[repository]
url = "file://$work/ours"
branch = "main"
[ci]
hosts = []
max_parallel_builds = $jobs
TOML

if [[ ${cds:-} == yes ]]; then
  checks=2 chains=1 make_flake "$work/cds" "cds-$salt" > /dev/null
  sed -e "s|$work/ours|$work/cds|" -e "s|$work/state|$work/cds-state|" "$work/gitops.toml" > "$work/cds.toml"
  java -XX:ArchiveClassesAtExit="$work/app.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -jar "$here/target/quarkus-app/quarkus-run.jar" ci -c "$work/cds.toml" > "$work/cds.log" 2>&1 || true
  gitops=(java -XX:SharedArchiveFile="$work/app.jsa" "${gitops[@]:1}")
fi

run_ours() { "${gitops[@]}" ci -c "$work/gitops.toml" > "$work/ours-$1.log" 2>&1; }
run_build() { nix build --no-link --max-jobs "$jobs" "${attrs[@]}" > "$work/build-$1.log" 2>&1; }
run_check() { nix flake check --max-jobs "$jobs" "$check_ref" > "$work/check-$1.log" 2>&1; }

echo "flake: $checks independent checks (~0.1 s each) + $chains chains of $chain_length; parallelism $jobs; $(nix --version)"
declare -A t
for phase in cold warm; do
  for tool in ours build check; do
    start=$(now)
    if ! "run_$tool" "$phase"; then
      echo "$tool ($phase) failed; see its log:"; tail -20 "$work/$tool-$phase.log"; exit 1
    fi
    t[$tool-$phase]=$(since "$start")
  done
done
grep -h "^ci run" "$work/ours-cold.log" "$work/ours-warm.log" | sed 's/^/  gitops-sync: /'

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }
printf '\n%-34s %10s %10s\n' "" "cold (s)" "built (s)"
printf '%-34s %10s %10s\n' "gitops-sync ci" "${t[ours-cold]}" "${t[ours-warm]}"
printf '%-34s %10s %10s\n' "nix build --max-jobs $jobs (all)" "${t[build-cold]}" "${t[build-warm]}"
printf '%-34s %10s %10s\n' "nix flake check --max-jobs $jobs" "${t[check-cold]}" "${t[check-warm]}"
printf '\n%-34s %10s %10s\n' "speed-up of gitops-sync ci over" "cold" "built"
printf '%-34s %10s %10s\n' "nix build" "$(ratio "${t[ours-cold]}" "${t[build-cold]}")" "$(ratio "${t[ours-warm]}" "${t[build-warm]}")"
printf '%-34s %10s %10s\n' "nix flake check" "$(ratio "${t[ours-cold]}" "${t[check-cold]}")" "$(ratio "${t[ours-warm]}" "${t[check-warm]}")"
