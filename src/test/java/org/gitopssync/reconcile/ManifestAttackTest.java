package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.DirectoryTree;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A committed secrets manifest as an attacker would write it: {@code path} links aimed at the agent's own state,
 * its secrets root, the system profile, {@code /nix}, escapes and files it did not create, and symlinks in the
 * repository. Each cycle must fail naming the manifest file and the entry, and change nothing on disk (the
 * directories involved are snapshotted before and after). One deployed baseline is shared; every attack is a
 * new commit on top of it, whose manifest is the demo's plus one hostile entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestAttackTest {

    private static final String MANIFEST = "secrets/manifest.toml";

    Path tmp;
    DemoFlakeRepo repo;
    AgentFixture fixture;
    String baseManifest;

    @BeforeAll
    void deployTheDemo() throws IOException {
        // @TempDir is not injected before @BeforeAll of a per-class instance
        tmp = Files.createTempDirectory("gitops-manifest-attack-");
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        baseManifest = Files.readString(repo.dir().resolve(MANIFEST));
        CycleReport baseline = cycle();
        assertThat(baseline.outcome()).as(baseline.summary()).isEqualTo(CycleOutcome.DEPLOYED);
    }

    @AfterAll
    void removeTheDirectory() throws IOException {
        DirectoryTree.delete(tmp);
    }

    private CycleReport cycle() {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), new RecordingCommandRunner(),
                Clock.systemUTC())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    /** What a cycle on a commit adding {@code entry} to the manifest reports, with the directories it must not touch. */
    private Attack attack(String entry, Path... watched) {
        List<Path> dirs = Stream.concat(Stream.of(fixture.secretsRoot(), fixture.profile().getParent(), repo.root()),
                Stream.of(watched)).toList();
        Map<String, String> before = snapshot(dirs);
        repo.write(MANIFEST, baseManifest + "\n" + entry);
        repo.commit("hostile manifest entry");
        CycleReport report = cycle();
        return new Attack(report, before, snapshot(dirs));
    }

    private record Attack(CycleReport report, Map<String, String> before, Map<String, String> after) {
        /** Refused, naming the manifest and the entry, with nothing changed on disk. */
        void refusedNaming(String entryName) {
            assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.FAILED);
            assertThat(report.stage()).isEqualTo(Stage.SECRETS);
            assertThat(report.summary()).contains(MANIFEST, "\"" + entryName + "\"")
                    .doesNotContain("Exception", "\n");
            unchangedOnDisk();
        }

        void unchangedOnDisk() {
            assertThat(after).as("files, links and modes on disk").isEqualTo(before);
        }
    }

    private static String secret(String name, String path) {
        return """
                [[secrets]]
                name = "%s"
                key = "api_token"
                path = "%s"
                """.formatted(name, path);
    }

    // ---- refused on main today ----

    @Test
    void aRelativeLinkPathIsRefused() {
        attack(secret("relative", "var/lib/app/token")).refusedNaming("relative");
    }

    @Test
    void aDotDotEscapeIsRefused() {
        Path inside = repo.root().resolve("etc");
        attack(secret("escape", inside + "/../escaped")).refusedNaming("escape");
    }

    @Test
    void aLinkIntoTheNixStoreIsRefused() {
        attack(secret("store", "/nix/store/gitops-sync-attack")).refusedNaming("store");
    }

    @Test
    void aRealFileIsNeverReplaced() throws IOException {
        Path victim = Files.createDirectories(tmp.resolve("victim")).resolve("passwd");
        Files.writeString(victim, "root:x:0:0::/root:/bin/sh\n");
        Attack a = attack(secret("overwrite", victim.toString()), victim.getParent());
        assertThat(a.report().outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(a.report().summary()).contains(victim.toString());
        a.unchangedOnDisk();
    }

    @Test
    void aSymlinkInTheRepositoryNeverInstallsWhatItPointsAt() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside")).resolve("host-secret");
        Files.writeString(outside, "the host's own secret\n");
        Files.createSymbolicLink(repo.dir().resolve("secrets/leak.txt"), outside);
        attack("""
                [[templates]]
                name = "leaked"
                file = "secrets/leak.txt"
                """);
        Path installed = fixture.secretsRoot().resolve("current/rendered/leaked");
        if (Files.exists(installed)) {
            assertThat(installed).content().doesNotContain("the host's own secret");
        }
        // the next attack's commit drops it
        Files.delete(repo.dir().resolve("secrets/leak.txt"));
    }

    // ---- refused once the secrets-faults work is merged ----

    @Test
    void aLinkIntoTheStateDirectoryIsRefused() throws IOException {
        Path gcroots = Files.createDirectories(fixture.stateDir().resolve("gcroots"));
        attack(secret("state", gcroots.resolve("attack").toString()), gcroots).refusedNaming("state");
    }

    @Test
    void theSecretsRootsCurrentLinkIsNotReplaced() {
        attack(secret("current", fixture.secretsRoot().resolve("current").toString())).refusedNaming("current");
    }

    @Test
    void theSystemProfileIsNotReplaced() {
        attack(secret("profile", fixture.profile().toString())).refusedNaming("profile");
    }

    @Test
    void aLinkUnderNixOutsideTheStoreIsRefused() {
        attack(secret("nixvar", "/nix/var/gitops-sync-attack")).refusedNaming("nixvar");
        assertThat(Path.of("/nix/var/gitops-sync-attack")).doesNotExist();
    }

    @Test
    void aSymlinkTheAgentDidNotCreateIsNotReplaced() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("etc-alternatives"));
        Path foreign = dir.resolve("editor");
        Files.createSymbolicLink(foreign, Path.of("/usr/bin/vi"));
        attack(secret("foreign", foreign.toString()), dir).refusedNaming("foreign");
        assertThat(Files.readSymbolicLink(foreign)).isEqualTo(Path.of("/usr/bin/vi"));
    }

    @Test
    void aSymlinkInTheRepositoryIsRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside2")).resolve("host-secret");
        Files.writeString(outside, "the host's own secret\n");
        Files.createSymbolicLink(repo.dir().resolve("secrets/leak2.txt"), outside);
        attack("""
                [[templates]]
                name = "leaked2"
                file = "secrets/leak2.txt"
                """).refusedNaming("leaked2");
    }

    /** Every file, directory and link below the directories: type, mode, and content digest or link target. */
    private static Map<String, String> snapshot(List<Path> dirs) {
        Map<String, String> out = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                out.put(dir.toString(), "absent");
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    out.put(p.toString(), describe(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String describe(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                return "link -> " + Files.readSymbolicLink(p);
            }
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return "dir " + mode;
            }
            return "file " + mode + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
