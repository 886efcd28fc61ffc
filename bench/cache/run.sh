#!/bin/sh
# Cache push benchmark (not a test): N store paths, K of them already in a file:// cache.
# Compares the agent's push (probe narinfos, nix copy --no-recursive of what is missing) with a
# plain `nix copy` of all N, from identical copies of the cache, and prints times and the ratio.
# Usage: bench/cache/run.sh [N=200] [K=190] [rounds=5]
# Ends with one machine-readable line per scenario: RESULT <name> <agent ms> <nix copy ms> <agent/nix copy>.
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile
./mvnw -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# Offline, like the tests: no substituters to wait for, no sandbox on this kind of host.
export NIX_CONFIG="experimental-features = nix-command flakes
sandbox = false
substituters ="
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    org.gitopssync.cache.CachePushBenchmark "$@"
