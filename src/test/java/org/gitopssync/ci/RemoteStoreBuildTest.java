package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.NixSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [ci] store and builders against real nix: nix runs {@code ssh-ng://localhost?remote-program=X} as
 * X itself, so a relay script that records what it was given and execs {@code nix-daemon --stdio} is
 * a real remote-store session on this machine.
 */
class RemoteStoreBuildTest {

    @TempDir
    Path tmp;

    private static String check(String name) {
        return "checks." + NixSystem.current() + "." + name;
    }

    /** The relay: records its environment, argv and its ancestors' command lines, then serves the store. */
    private Path relayScript(Path records) throws IOException {
        Files.createDirectories(records);
        String daemon = which("nix-daemon");
        Path script = tmp.resolve("nix-relay-client");
        Files.writeString(script, """
                #!/bin/sh
                d='%s'
                env > "$d/env.$$"
                printf '%%s\\n' "$0" "$@" > "$d/argv.$$"
                p=$PPID; n=0
                while [ "$p" -gt 1 ] && [ $n -lt 6 ]; do
                  tr '\\0' ' ' < /proc/$p/cmdline; echo
                  p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status); n=$((n+1))
                done > "$d/ancestors.$$"
                exec '%s' --stdio
                """.formatted(records, daemon));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static String which(String program) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(program + " is not on PATH");
    }

    private static List<String> contents(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** Every regular file under {@code dir} whose bytes contain {@code needle}. */
    private static List<Path> filesContaining(Path dir, String needle) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(needle)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static boolean validInStore(String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nix-store", "--check-validity", path).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void buildsRunThroughTheRemoteStoreWithItsTokenInTheEnvironmentOnly() throws Exception {
        String token = "relay-token-" + UUID.randomUUID();
        Path creds = tmp.resolve("credentials");
        Files.createDirectories(creds);
        Files.writeString(creds.resolve("relay-token"), token + "\n");
        Path records = tmp.resolve("relay-records");
        Path relay = relayScript(records);
        String store = "ssh-ng://localhost?remote-program=" + relay;
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system}.a = mk "a" "echo relayed build of a";
                  nixosConfigurations.demo.config.system.build.toplevel = mk "toplevel" "echo relayed toplevel";
                }""");
        String ci = """
                store = "%s"
                eval_store = "auto"
                store_env = { NIX_RELAY_TOKEN = { systemd-credential = "relay-token" } }
                """.formatted(store);
        try (CiTestbed bed = new CiTestbed(tmp, ci, Map.of(), Map.of("CREDENTIALS_DIRECTORY", creds.toString()))) {
            CiResult r = bed.run(flake.runHead().withHosts(CiSettings.Hosts.self()));

            assertThat(r.succeeded()).as(r.failureReport()).isTrue();
            String out = r.attributes().stream().filter(a -> a.attribute().equals(check("a"))).findFirst()
                    .orElseThrow().out();
            String system = r.systems().get("demo");

            List<List<String>> realisations = bed.anyRealisation();
            assertThat(realisations).as("the builds").isNotEmpty().allSatisfy(argv -> {
                assertThat(argv).containsSequence("--store", store).containsSequence("--eval-store", "auto");
            });
            assertThat(contents(records, "env.")).as("the relay ran, with the token in its environment")
                    .isNotEmpty().anySatisfy(env -> assertThat(env).contains("NIX_RELAY_TOKEN=" + token + "\n"));
            assertThat(contents(records, "ancestors.")).as("a relay session served the build itself")
                    .anySatisfy(chain -> assertThat(chain).contains(" build ").contains("--store " + store));
            assertThat(validInStore(out)).as("the output is in this machine's store").isTrue();
            assertThat(validInStore(system)).as("the system, ready to deploy").isTrue();
            Path roots = bed.stateDir.resolve("gcroots/ci/" + r.runId());
            try (Stream<Path> links = Files.list(roots)) {
                assertThat(links.filter(Files::isSymbolicLink).map(l -> {
                    try {
                        return Files.readSymbolicLink(l).toString();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList()).as("outputs copied back are rooted here").contains(out, system);
            }

            assertThat(bed.runner.commands()).as("argv of every child the agent ran")
                    .noneSatisfy(argv -> assertThat(String.join(" ", argv)).contains(token));
            assertThat(contents(records, "argv.")).as("the relay's own argv").isNotEmpty()
                    .noneSatisfy(argv -> assertThat(argv).contains(token));
            assertThat(contents(records, "ancestors.")).as("/proc cmdline of the nix processes above the relay")
                    .noneSatisfy(chain -> assertThat(chain).contains(token));
            assertThat(filesContaining(bed.stateDir, token)).as("logs, results and roots of the agent").isEmpty();
            assertThat(filesContaining(Path.of(out), token)).as("the store output").isEmpty();
        }
    }

    @Test
    void buildersReachNixAsTheBuildersFlag() {
        // a builder for a platform nothing here needs: nix declines it without connecting and builds locally
        String builders = "ssh-ng://builder@x86 riscv64-linux /etc/nix/builder_key 8";
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo local\"; }");
        try (CiTestbed bed = new CiTestbed(tmp, "builders = \"" + builders + "\"\n")) {
            CiResult r = bed.run(flake.runHead());

            assertThat(r.succeeded()).as(r.failureReport()).isTrue();
            assertThat(bed.anyRealisation()).isNotEmpty()
                    .allSatisfy(argv -> assertThat(argv).containsSequence("--builders", builders)
                            .doesNotContain("--store"));
        }
    }
}
