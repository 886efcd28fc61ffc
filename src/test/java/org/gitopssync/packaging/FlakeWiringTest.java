package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The flake's outputs and the package's arguments to buildMavenPackage, evaluated by the real
 * nix with a stand-in for nixpkgs (there is none here): this checks the wiring (systems, output
 * names, what the app runs, what the overlay adds, which sources and Maven flags the build
 * gets), not nixpkgs' behaviour. Building the package and the VM tests need a NixOS builder
 * (docs/nixos.md, "Checks").
 */
class FlakeWiringTest {

    /** Just enough of nixpkgs for the flake's outputs and nix/package.nix to evaluate. */
    private static final String STUBS = """
            let
              genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
              drv = name: { type = "derivation"; inherit name; outPath = "/nix/store/00000000000000000000000000000000-${name}"; };
              lib = {
                inherit genAttrs;
                inherit (builtins) concatStringsSep;
                getExe' = pkg: name: "${pkg}/bin/${name}";
                makeBinPath = pkgs: concatStringsSep ":" (map (p: "${p}/bin") pkgs);
                fileset = {
                  unions = paths: paths;
                  toSource = { root, fileset }: { root = toString root; files = map toString fileset; };
                };
                sourceTypes = { fromSource = "fromSource"; binaryBytecode = "binaryBytecode"; };
              };
              concatStringsSep = builtins.concatStringsSep;
              packageArgs = import ./nix/package.nix {
                inherit lib;
                maven.buildMavenPackage = args: args;
                runtimeShell = "/nix/store/00000000000000000000000000000000-bash/bin/bash";
                jdk17_headless = drv "jdk17";
                git = drv "git";
                nix = drv "nix";
              };
              stubPkgs = system: {
                callPackage = fn: _: drv "gitops-sync-${system}" // { source = toString fn; };
                mkShell = _: drv "shell";
                nixpkgs-fmt = drv "nixpkgs-fmt";
                jdk17_headless = drv "jdk17"; git = drv "git"; age = drv "age"; nix = drv "nix";
              };
              nixpkgs = { inherit lib; legacyPackages = genAttrs [ "x86_64-linux" "aarch64-linux" "riscv64-linux" ] stubPkgs; };
              flake = import ./flake.nix;
              self = flake.outputs { inherit self nixpkgs; };
            in
            """;

    private static JsonNode eval(String body) {
        return NixInstantiate.evalJson(STUBS + body);
    }

    @Test
    void outputsForBothLinuxSystems() {
        JsonNode v = eval("""
                {
                  inputs = builtins.attrNames flake.inputs;
                  nixpkgs = flake.inputs.nixpkgs.url;
                  packages = builtins.mapAttrs (_: builtins.attrNames) self.packages;
                  apps = builtins.mapAttrs (_: builtins.attrNames) self.apps;
                  checks = builtins.mapAttrs (_: builtins.attrNames) self.checks;
                  devShells = builtins.mapAttrs (_: builtins.attrNames) self.devShells;
                  formatter = builtins.attrNames self.formatter;
                  defaultIsThePackage = self.packages.aarch64-linux.default == self.packages.aarch64-linux.gitops-sync;
                  builtFrom = self.packages.x86_64-linux.gitops-sync.source;
                }""");
        assertThat(v.get("inputs").toString()).isEqualTo("[\"nixpkgs\"]");
        assertThat(v.get("nixpkgs").asText()).isEqualTo("github:NixOS/nixpkgs/nixos-unstable");
        String both = "{\"aarch64-linux\":%s,\"x86_64-linux\":%s}";
        assertThat(v.get("packages").toString()).isEqualTo(both.formatted("[\"default\",\"gitops-sync\"]", "[\"default\",\"gitops-sync\"]"));
        assertThat(v.get("apps").toString()).isEqualTo(both.formatted("[\"default\"]", "[\"default\"]"));
        String checks = "[\"module-eval\",\"package\",\"vm-daemon\",\"vm-sync\"]";
        assertThat(v.get("checks").toString()).isEqualTo(both.formatted(checks, checks));
        assertThat(v.get("devShells").toString()).isEqualTo(both.formatted("[\"default\"]", "[\"default\"]"));
        assertThat(v.get("formatter").toString()).isEqualTo("[\"aarch64-linux\",\"x86_64-linux\"]");
        assertThat(v.get("defaultIsThePackage").asBoolean()).isTrue();
        assertThat(v.get("builtFrom").asText()).endsWith("/nix/package.nix");
    }

    @Test
    void theAppRunsTheWrapperAndTheOverlayAddsThePackage() {
        JsonNode v = eval("""
                {
                  app = self.apps.x86_64-linux.default;
                  overlay = builtins.attrNames (self.overlays.default (stubPkgs "x86_64-linux") { });
                  overlaySource = (self.overlays.default (stubPkgs "x86_64-linux") { }).gitops-sync.source;
                  modules = builtins.mapAttrs (_: toString) self.nixosModules;
                }""");
        assertThat(v.get("app").get("type").asText()).isEqualTo("app");
        assertThat(v.get("app").get("program").asText())
                .isEqualTo("/nix/store/00000000000000000000000000000000-gitops-sync-x86_64-linux/bin/gitops-sync");
        assertThat(v.get("overlay").toString()).isEqualTo("[\"gitops-sync\"]");
        assertThat(v.get("overlaySource").asText()).endsWith("/nix/package.nix");
        assertThat(v.get("modules").get("default").asText()).endsWith("/nix/module.nix");
        assertThat(v.get("modules").get("gitops").asText()).isEqualTo(v.get("modules").get("default").asText());
    }

    @Test
    void thePackageIsAMavenBuildOfTheSourcesWithTestsSkipped() throws IOException, GeneralSecurityException {
        JsonNode v = eval("""
                {
                  inherit (packageArgs) pname version mvnHash doCheck mvnParameters installPhase preBuild;
                  mvnJdk = packageArgs.mvnJdk.name;
                  fetchPreBuild = packageArgs.mvnFetchExtraArgs.preBuild;
                  src = packageArgs.src;
                  meta = { inherit (packageArgs.meta) mainProgram platforms; };
                }""");
        String pom = Files.readString(NixInstantiate.projectRoot().resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>gitops-sync</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).isTrue();

        assertThat(v.get("pname").asText()).isEqualTo("gitops-sync");
        assertThat(v.get("version").asText()).isEqualTo(version.group(1));
        // an SRI sha256, as nix/update-mvn-hash.sh or nix/mvn-hash-local.sh write it
        assertThat(v.get("mvnHash").asText()).matches("sha256-[A-Za-z0-9+/]{43}=");
        // a changed pom.xml may fetch other dependencies: the package build would then fail on a hash mismatch
        String hashFile = Files.readString(NixInstantiate.projectRoot().resolve("nix/mvn-hash.nix"));
        Matcher stamp = Pattern.compile("(?m)^# pom.xml sha256 ([0-9a-f]{64})$").matcher(hashFile);
        assertThat(stamp.find()).as("nix/mvn-hash.nix names the pom.xml it was computed for").isTrue();
        String pomDigest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(NixInstantiate.projectRoot().resolve("pom.xml"))));
        assertThat(stamp.group(1)).as("pom.xml changed since nix/mvn-hash.nix was computed: run nix/update-mvn-hash.sh"
                + " (or nix/mvn-hash-local.sh where nixpkgs is not available) and commit the new hash").isEqualTo(pomDigest);
        // tests need real nix, git and age: buildMavenPackage turns doCheck = false into -DskipTests
        assertThat(v.get("doCheck").asBoolean()).isFalse();
        assertThat(v.get("mvnJdk").asText()).isEqualTo("jdk17");
        assertThat(v.get("mvnParameters").asText()).contains("-Dquarkus.package.jar.type=fast-jar");
        assertThat(v.get("preBuild").asText()).contains("export HOME=$TMPDIR");
        assertThat(v.get("fetchPreBuild").asText()).contains("export HOME=$TMPDIR");

        String root = NixInstantiate.projectRoot().toString();
        assertThat(v.get("src").get("root").asText()).isEqualTo(root);
        assertThat(v.get("src").get("files").toString()).isEqualTo(
                "[\"" + root + "/pom.xml\",\"" + root + "/src/main\",\"" + root + "/examples/demo-flake\"]");

        String install = v.get("installPhase").asText();
        String java = "/nix/store/00000000000000000000000000000000-jdk17/bin/java";
        assertThat(install)
                .contains("cp -r target/quarkus-app/. $out/share/gitops-sync/")
                .contains("cat > $out/bin/gitops-sync <<EOF\n#!/nix/store/00000000000000000000000000000000-bash/bin/bash\n")
                // GITOPS_JAVA_OPTS reaches the JVM's command line, not its environment (where the
                // program would report it as an unknown setting)
                .contains("gitops_java_opts=\\${GITOPS_JAVA_OPTS:-}\nunset GITOPS_JAVA_OPTS\n")
                // sqlite's native library is extracted once, not to /tmp on every start
                .contains("-sqlite-native $out/share/gitops-sync")
                // a fresh install starts warm: the class-data archives are recorded against the installed jars
                // (with the times the store gives them) and the wrapper uses them
                .contains("find $out/share/gitops-sync -exec touch -h -d @1 {} +")
                .contains("classPath=$(bash /nix/store/")
                .contains("-class-archive $out/share/gitops-sync $out/share/gitops-sync/gitops-sync.jsa \"$classPath\""
                        + " -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC")
                // `daemon` in the Quarkus container, every other command without it
                .contains("if [ \"\\${1:-}\" = daemon ]; then\n  exec " + java + " -XX:TieredStopAtLevel=1")
                .contains("-XX:SharedArchiveFile=$out/share/gitops-sync/gitops-sync-daemon.jsa \\$gitops_java_opts"
                        + " -jar $out/share/gitops-sync/quarkus-run.jar \"\\$@\"\nfi\n")
                .contains("exec " + java + " -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off"
                        + " -XX:SharedArchiveFile=$out/share/gitops-sync/gitops-sync.jsa \\$gitops_java_opts"
                        + " -cp $classPath org.gitopssync.cli.Launch \"\\$@\"\nEOF\n")
                .contains("PATH=\\${PATH:+\\$PATH:}/nix/store/00000000000000000000000000000000-nix/bin:/nix/store/00000000000000000000000000000000-git/bin\nexport PATH\n")
                .contains("chmod +x $out/bin/gitops-sync");
        assertThat(v.get("meta").get("mainProgram").asText()).isEqualTo("gitops-sync");
        assertThat(v.get("meta").get("platforms").toString()).isEqualTo("[\"x86_64-linux\",\"aarch64-linux\"]");
    }
}
