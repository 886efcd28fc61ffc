#!/usr/bin/env bash
# Benchmark of the embedded CI engine (not a test): one flake with 200 independent checks of
# ~0.1 s of shell work each plus 20 chains of 5 derivations, built
#   1. by `gitops-sync ci`,
#   2. by one `nix build --max-jobs N` of every check,
#   3. by `nix flake check --max-jobs N`,
# with the same parallelism N, each on its own salted copy so nothing is shared; then the same
# three again with everything already built (gitops-sync ci and nix build BENCH_CI_WARM_RUNS times,
# median: the second run of a commit reuses its stored evaluation). Prints wall times and ratios.
# Then, in a running daemon on the demo flake (BENCH_CI_DAEMON=0 skips it): the build stage of a
# cycle whose commit is all built, once evaluated fresh (an empty commit pushed) and once with the
# evaluation reused (the commit checked by `gitops-sync ci next` first, then fast-forwarded onto
# main, as a pull request's head is), against `nix build` of the same attributes.
#
# Usage: bench/ci/run.sh [N]     (N defaults to the number of cores)
# Needs: nix (flakes), git, java 17; builds the app first if target/quarkus-app is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${1:-$(nproc)}
checks=${BENCH_CI_CHECKS:-200}   # bench/run --quick makes the flake smaller
chains=${BENCH_CI_CHAINS:-20}
chain_length=5
warm_runs=${BENCH_CI_WARM_RUNS:-5}
daemon_runs=${BENCH_CI_DAEMON_RUNS:-5}
loop=90000   # iterations of a dash counting loop: about 0.1 s on the reference machine

export NIX_CONFIG=${NIX_CONFIG:-$'experimental-features = nix-command flakes\nsubstituters ='}
if [[ -x "$here/bin/gitops-sync" ]]; then
  gitops=("$here/bin/gitops-sync")
  # the launcher builds, or records its class-data archive again, when the sources or jars changed: not in a timed run
  "${gitops[@]}" --version > /dev/null
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
trap 'if [[ -n ${daemon_pid:-} ]]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

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
median() { python3 -c 'import sys, statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }

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
    runs=1
    [[ $phase == warm && $tool != check ]] && runs=$warm_runs
    samples=()
    for ((r = 0; r < runs; r++)); do
      start=$(now)
      if ! "run_$tool" "$phase"; then
        echo "$tool ($phase) failed; see its log:"; tail -20 "$work/$tool-$phase.log"; exit 1
      fi
      samples+=("$(since "$start")")
    done
    t[$tool-$phase]=$(median "${samples[@]}")
    [[ $runs -gt 1 ]] && echo "  $tool, everything built, $runs runs: ${samples[*]} s"
  done
done
grep -h "^ci run\|reusing the evaluation" "$work/ours-cold.log" "$work/ours-warm.log" | sed 's/^/  gitops-sync: /'

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }
printf '\n%-34s %10s %10s\n' "" "cold (s)" "built (s)"
printf '%-34s %10s %10s\n' "gitops-sync ci" "${t[ours-cold]}" "${t[ours-warm]}"
printf '%-34s %10s %10s\n' "nix build --max-jobs $jobs (all)" "${t[build-cold]}" "${t[build-warm]}"
printf '%-34s %10s %10s\n' "nix flake check --max-jobs $jobs" "${t[check-cold]}" "${t[check-warm]}"
printf '\n%-34s %10s %10s\n' "speed-up of gitops-sync ci over" "cold" "built"
printf '%-34s %10s %10s\n' "nix build" "$(ratio "${t[ours-cold]}" "${t[build-cold]}")" "$(ratio "${t[ours-warm]}" "${t[build-warm]}")"
printf '%-34s %10s %10s\n' "nix flake check" "$(ratio "${t[ours-cold]}" "${t[check-cold]}")" "$(ratio "${t[ours-warm]}" "${t[check-warm]}")"

[[ ${BENCH_CI_DAEMON:-1} == 0 ]] && exit 0

# ---- the daemon: the build stage of a cycle whose outputs are all built ----
"${gitops[@]}" demo --dir "$work/demo" > "$work/demo.log" 2>&1
config=$work/demo/gitops.toml
repo=$work/demo/repo
db=$work/demo/state/state.db
sed -i 's/^poll_interval = .*/poll_interval = "1s"/' "$config"
git_() { git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false "$@"; }
# seconds from entering the build stage to entering the next one, for the cycle of a commit; empty until finished
build_stage() {
  python3 - "$db" "$1" <<'PY'
import sqlite3, sys
from datetime import datetime
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
row = c.execute("SELECT id, outcome FROM cycles WHERE commit_sha = ? AND finished_at IS NOT NULL ORDER BY id DESC",
                (sys.argv[2],)).fetchone()
if row:
    if row[1] not in ("deployed", "up-to-date"):
        sys.exit(f"cycle {row[0]} of {sys.argv[2]} ended {row[1]}")
    times = [datetime.fromisoformat(t.replace("Z", "+00:00")) for (t,) in
             c.execute("SELECT entered_at FROM cycle_stages WHERE cycle_id = ? ORDER BY entered_at", (row[0],))]
    stages = [s for (s,) in c.execute("SELECT stage FROM cycle_stages WHERE cycle_id = ? ORDER BY entered_at", (row[0],))]
    i = stages.index("build")
    print(f"{(times[i + 1] - times[i]).total_seconds():.3f}")
PY
}
await_cycle() {
  local sha=$1 deadline=$((SECONDS + 300)) d
  while :; do
    d=$(build_stage "$sha") || exit 1
    [[ -n $d ]] && { echo "$d"; return; }
    kill -0 "$daemon_pid" 2>/dev/null || { echo "the daemon died:" >&2; tail -20 "$work/daemon.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "no cycle of $sha within 300 s:" >&2; tail -20 "$work/daemon.log" >&2; exit 1; }
    sleep 0.2
  done
}
"${gitops[@]}" daemon --config "$config" > /dev/null 2> "$work/daemon.log" &
daemon_pid=$!
await_cycle "$(git_ rev-parse HEAD)" > /dev/null
attrs=(nixosConfigurations.demo.config.system.build.toplevel)
for c in $(nix eval --json "git+file://$repo#checks.$system" --apply builtins.attrNames | tr -d '[]"' | tr ',' ' '); do
  attrs+=("checks.$system.$c")
done
fresh=() reused=() nixb=()
for ((r = 0; r < daemon_runs; r++)); do
  # an empty commit pushed: everything built, evaluated fresh
  git_ commit -q --allow-empty -m "bench: empty $r"
  fresh+=("$(await_cycle "$(git_ rev-parse HEAD)")")
  # a commit checked on another branch first, then fast-forwarded onto main
  sha=$(git_ commit-tree "HEAD^{tree}" -p HEAD -m "bench: checked first $r")
  git_ branch -f next "$sha"
  until "${gitops[@]}" ci -c "$config" next > "$work/ci-next.log" 2>&1; do
    [[ $? == 3 ]] || { echo "gitops-sync ci next failed:"; tail -20 "$work/ci-next.log"; exit 1; }
    sleep 0.5   # the daemon's cycle holds the lock
  done
  git_ update-ref refs/heads/main "$sha"
  reused+=("$(await_cycle "$sha")")
  installables=()
  for a in "${attrs[@]}"; do installables+=("git+file://$repo?ref=refs/heads/main&rev=$sha#$a"); done
  nix build --no-link "${installables[@]}" > "$work/nix-build-demo.log" 2>&1   # nix's own eval cache: filled once
  start=$(now); nix build --no-link "${installables[@]}" > "$work/nix-build-demo.log" 2>&1; nixb+=("$(since "$start")")
done
grep -q "reusing the evaluation" "$work/daemon.log" || { echo "the daemon never reused an evaluation"; exit 1; }
printf '\n%-34s %10s   (%d cycles of the demo flake, %d attributes; runs: %s)\n' "daemon build stage, fresh eval" \
  "$(median "${fresh[@]}")" "$daemon_runs" "${#attrs[@]}" "${fresh[*]}"
printf '%-34s %10s   (runs: %s)\n' "daemon build stage, eval reused" "$(median "${reused[@]}")" "${reused[*]}"
printf '%-34s %10s   (runs: %s)\n' "nix build, same attributes" "$(median "${nixb[@]}")" "${nixb[*]}"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
