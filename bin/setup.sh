# shellcheck shell=bash
# Shared by bin/gitops-sync and bin/test: make sure the programs gitops-sync needs exist.
# As root on Debian/Ubuntu they are installed with apt-get; otherwise one line says what to install.

# need_tools "cmd:debian-package" ... ; exits 1 with a one-line message if something is missing.
need_tools() {
  local missing_cmds=() missing_pkgs=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || { missing_cmds+=("$cmd"); missing_pkgs+=("$pkg"); }
  done
  [ ${#missing_cmds[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "gitops-sync: installing ${missing_pkgs[*]} with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >&2
    return 0
  fi
  if [ -e /etc/NIXOS ]; then
    echo "gitops-sync: missing ${missing_cmds[*]}: add them to environment.systemPackages or run inside 'nix-shell -p ${missing_cmds[*]/java/jdk17}'" >&2
  else
    echo "gitops-sync: missing ${missing_cmds[*]}: install ${missing_pkgs[*]} (e.g. sudo apt-get install ${missing_pkgs[*]}) and run again" >&2
  fi
  exit 1
}

# want_tools "cmd:debian-package" ... ; like need_tools, but what cannot be installed is only named: the tests
# that use it skip themselves (the status page browser test without chromium).
want_tools() {
  local missing_cmds=() missing_pkgs=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || { missing_cmds+=("$cmd"); missing_pkgs+=("$pkg"); }
  done
  [ ${#missing_cmds[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "gitops-sync: installing ${missing_pkgs[*]} with apt-get" >&2
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >&2; then
      return 0
    fi
  fi
  echo "gitops-sync: ${missing_cmds[*]} not available (install ${missing_pkgs[*]}): the tests that need it are skipped" >&2
}

# JVM flags for a short-lived command-line program: C1 only and the serial collector start fastest
# and use least memory; one compiler thread, so queueing a compilation rarely waits on a lock (the JVM
# accepts 1 only with C1 only); the class-data archive (made once per build) skips most class loading.
JAVA_FLAGS=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off)
# Added for `daemon`: a small heap that grows on demand and shrinks back, small stacks, caps on what a
# runaway could take (nix/jvm-flags.nix has the same lists for the package and the NixOS module).
DAEMON_JAVA_FLAGS=(-Xms8m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k
  -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m)
CDS_ARCHIVE=target/quarkus-app/gitops-sync.jsa
DAEMON_CDS_ARCHIVE=target/quarkus-app/gitops-sync-daemon.jsa

# The app jar, rebuilt with the Maven wrapper when sources changed since the last build; sqlite-jdbc's native library,
# extracted once (bin/sqlite-native); and the class-data archives, recorded by bin/class-archive right after the build
# (a no-op cycle, no nix needed). Sets ONE_SHOT_MAIN (every command but `daemon`: org.gitopssync.cli.Launch, no
# Quarkus container) and DAEMON_MAIN (`daemon`: quarkus-run.jar), the JVM arguments that pick the entry point.
ensure_built() {
  local jar=target/quarkus-app/quarkus-run.jar
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml src examples -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "gitops-sync: building (first run or sources changed)..." >&2
    ./mvnw -q -B package -DskipTests >&2
  fi
  local sqlite=target/quarkus-app/lib/native/libsqlitejdbc.so
  if [ ! -f "$sqlite" ] || [ -n "$(find target/quarkus-app/lib/main -name '*.jar' -newer "$sqlite" -print -quit)" ]; then
    bin/sqlite-native target/quarkus-app \
      || echo "gitops-sync: could not extract sqlite's native library; sqlite-jdbc extracts it on each start" >&2
  fi
  local class_path
  class_path=$(bin/one-shot-classpath target/quarkus-app)
  # the archive holds one class path's classes: recorded again when the scripts that make it or the jars change
  if [ ! -f "$CDS_ARCHIVE" ] || [ ! -f "$DAEMON_CDS_ARCHIVE" ] || [ bin/class-archive -nt "$CDS_ARCHIVE" ] \
      || [ bin/one-shot-classpath -nt "$CDS_ARCHIVE" ] || [ -n "$(find target/quarkus-app -name '*.jar' -newer "$CDS_ARCHIVE" -print -quit)" ]; then
    # the archive remembers the jar paths: record it with the same absolute paths the launcher uses
    bin/class-archive "$PWD/target/quarkus-app" "$CDS_ARCHIVE" "$class_path" "${JAVA_FLAGS[@]}" > /dev/null 2>&1 \
      || echo "gitops-sync: could not record the class-data archive; starting without it (slower)" >&2
  fi
  if [ -f "$CDS_ARCHIVE" ]; then
    JAVA_FLAGS+=(-XX:SharedArchiveFile="$PWD/$CDS_ARCHIVE")
  fi
  if [ -f "$DAEMON_CDS_ARCHIVE" ]; then
    # after JAVA_FLAGS on the command line: the daemon's archive wins
    DAEMON_JAVA_FLAGS+=(-XX:SharedArchiveFile="$PWD/$DAEMON_CDS_ARCHIVE")
  fi
  ONE_SHOT_MAIN=(-cp "$class_path" org.gitopssync.cli.Launch)
  DAEMON_MAIN=(-jar "$PWD/target/quarkus-app/quarkus-run.jar")
}
