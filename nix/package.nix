# gitops-sync built from this repository with Maven, as a Quarkus fast-jar application
# (target/quarkus-app/) run by a JRE 17 through bin/gitops-sync.
#
# Maven's downloads happen in a fixed-output derivation whose hash lives in ./mvn-hash.nix.
# After any change to pom.xml (or the first time), run nix/update-mvn-hash.sh on a machine with
# network access: it builds the dependencies, reads the real hash from the mismatch and writes it
# back.
{ lib
, maven
, runtimeShell
, jdk17_headless
, git
, nix
, jre ? jdk17_headless
}:

let
  pom = builtins.readFile ../pom.xml;
  # the JVM flags of every command (./jvm-flags.nix); the archives are recorded with them
  jvmFlags = lib.concatStringsSep " " (import ./jvm-flags.nix).oneShot;

  # <version> right after the project's own <artifactId>
  pomVersion = builtins.head (builtins.match
    ".*<artifactId>gitops-sync</artifactId>[[:space:]]*<version>([^<]+)</version>.*"
    pom);
in
maven.buildMavenPackage {
  pname = "gitops-sync";
  version = pomVersion;

  # Only what the Maven build reads, so that editing docs, tests or Nix files rebuilds nothing.
  # (The demo flake is bundled as a resource: `gitops-sync demo` works from any install.)
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../pom.xml
      ../src/main
      ../examples/demo-flake
    ];
  };

  mvnHash = import ./mvn-hash.nix;
  mvnJdk = jdk17_headless;

  # The test suite needs real nix, git and age with a writable store: it cannot run inside the
  # build sandbox (run it with bin/test). doCheck = false makes buildMavenPackage pass
  # -DskipTests to both Maven runs (dependency download and build), so both see the same plugins.
  doCheck = false;
  mvnParameters = lib.concatStringsSep " " [
    "-Dquarkus.package.jar.type=fast-jar"
    "-Dquarkus.analytics.disabled=true"
    "-Dmaven.javadoc.skip=true"
  ];
  # Quarkus and Maven may look for files under $HOME, which does not exist in the sandbox.
  mvnFetchExtraArgs.preBuild = ''
    export HOME=$TMPDIR
  '';
  preBuild = ''
    export HOME=$TMPDIR
  '';

  installPhase = ''
    runHook preInstall

    mkdir -p $out/share/gitops-sync $out/bin
    cp -r target/quarkus-app/. $out/share/gitops-sync/
    rm -f $out/share/gitops-sync/quarkus-app-dependencies.txt

    # sqlite-jdbc's native library, extracted once (otherwise it is copied to /tmp on every start); without it
    # sqlite-jdbc extracts its own copy as before
    PATH=${lib.makeBinPath [ jre ]}:$PATH bash ${../bin/sqlite-native} $out/share/gitops-sync \
      || echo "gitops-sync: sqlite's native library not extracted; sqlite-jdbc extracts it on each start"

    # The class-data archives a fresh install starts warm from: ../bin/class-archive records a no-op cycle
    # (no nix, no network needed) for each entry point. The JVM uses one only with this java, these jar paths and
    # the jars' sizes and times, so they are recorded from $out, with the times the store will give the files.
    find $out/share/gitops-sync -exec touch -h -d @1 {} +
    classPath=$(bash ${../bin/one-shot-classpath} $out/share/gitops-sync)
    PATH=${lib.makeBinPath [ jre git ]}:$PATH \
      bash ${../bin/class-archive} $out/share/gitops-sync $out/share/gitops-sync/gitops-sync.jsa "$classPath" ${jvmFlags}

    # A command-line JVM: serial GC and C1 only start fastest for `sync --once` and keep the
    # daemon small; the work itself happens in nix; the class-data archive above skips most class
    # loading (unusable, it is skipped silently). `daemon` runs in the Quarkus container (quarkus-run.jar),
    # every other command from org.gitopssync.cli.Launch, which starts none. GITOPS_JAVA_OPTS adds or overrides
    # flags; it is taken out of the environment before the JVM starts, because the program reports unknown
    # GITOPS_* variables as misspelled settings.
    # nix and git come after the caller's PATH: on NixOS the system's nix (the one matching the
    # daemon) and git win; elsewhere these make the program work on its own.
    cat > $out/bin/gitops-sync <<EOF
    #!${runtimeShell}
    gitops_java_opts=\''${GITOPS_JAVA_OPTS:-}
    unset GITOPS_JAVA_OPTS
    PATH=\''${PATH:+\$PATH:}${lib.makeBinPath [ nix git ]}
    export PATH
    if [ "\''${1:-}" = daemon ]; then
      exec ${lib.getExe' jre "java"} ${jvmFlags} -XX:SharedArchiveFile=$out/share/gitops-sync/gitops-sync-daemon.jsa \$gitops_java_opts -jar $out/share/gitops-sync/quarkus-run.jar "\$@"
    fi
    exec ${lib.getExe' jre "java"} ${jvmFlags} -XX:SharedArchiveFile=$out/share/gitops-sync/gitops-sync.jsa \$gitops_java_opts -cp $classPath org.gitopssync.cli.Launch "\$@"
    EOF
    chmod +x $out/bin/gitops-sync

    runHook postInstall
  '';

  meta = {
    description = "GitOps agent for NixOS: pull a flake, decrypt secrets, build, push to caches, activate, report";
    mainProgram = "gitops-sync";
    platforms = [ "x86_64-linux" "aarch64-linux" ];
    sourceProvenance = [ lib.sourceTypes.fromSource lib.sourceTypes.binaryBytecode ];
  };
}
