package org.gitopssync.secrets.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gitopssync.config.SecretsSettings;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.sops.SopsFiles;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgeKeys;
import org.gitopssync.testing.RecordingCommandRunner;
import org.gitopssync.testing.SystemctlDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generations on real files with real age keys: layout, modes, owners, switching, pruning, links, units. */
class SecretsInstallerTest {

    @TempDir
    Path tmp;

    AgeKeys key;
    Path root;
    SystemctlDouble systemctl;
    RecordingCommandRunner runner;
    int keep = 1;
    StateStore store;
    final Map<String, byte[]> repo = new HashMap<>();
    final Map<String, String> values = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        key = AgeKeys.generate(tmp.resolve("host-age.key"));
        root = tmp.resolve("run/gitops-secrets");
        systemctl = SystemctlDouble.install(tmp.resolve("bin"));
        runner = new RecordingCommandRunner(Map.of("PATH", systemctl.pathVariable()));
        values.put("db/password", "s3cret-db-password");
        values.put("api_token", "tok-0123456789");
        store = StateStore.open(tmp.resolve("state"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A new process on the same state directory: what the next cycle after a crash or reboot sees. */
    void restartProcess() {
        store.close();
        store = StateStore.open(tmp.resolve("state"));
    }

    SecretsInstaller installer() {
        SecretsSettings s = new SecretsSettings(root, "secrets/manifest.toml", List.of(key.file()), List.of(), keep,
                List.of("systemctl"), List.of());
        return new SecretsInstaller(s, () -> SecretsKeys.from(s, Map.of(), Optional.empty()), runner, store,
                LinkConfinement.of(tmp.resolve("state"), root, tmp.resolve("profiles")));
    }

    CommitFiles commit() {
        Map<String, byte[]> snapshot = Map.copyOf(repo);
        return CommitFiles.of("0123456789abcdef0123", p -> Optional.ofNullable(snapshot.get(p)));
    }

    void manifest(String toml) {
        repo.put("secrets/manifest.toml", toml.getBytes(StandardCharsets.UTF_8));
    }

    void encryptValues() {
        repo.put("secrets/app.yaml", SopsFiles.yaml(values, key.recipient()));
    }

    SecretsUpdate deploy() {
        SecretsUpdate update = installer().prepare(commit());
        update.switchLive();
        update.finish(true, null);
        return update;
    }

    Path current() {
        return root.resolve("current");
    }

    static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static String owner(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.owner().getName() + ":" + a.group().getName();
    }

    List<Integer> generations() {
        return new SecretsSwitch(root, new SecretsLedger(store)).generations();
    }

    private static final String APP = """
            default_sops_file = "secrets/app.yaml"

            [[secrets]]
            name = "app/db-password"
            key = "db/password"
            mode = "0440"
            restart_units = ["app.service"]

            [[secrets]]
            name = "api"
            key = "api_token"
            reload_units = ["proxy.service"]

            [[templates]]
            name = "app.conf"
            content = "password={{ secret \\"app/db-password\\" }}\\ntoken=<SOPS:%s:PLACEHOLDER>\\n"
            restart_units = ["app-config.service"]
            """.formatted(TemplateRenderer.sha256Hex("api"));

    @Test
    void firstInstallWritesACompleteGenerationWithExactModesAndOwners() throws IOException {
        encryptValues();
        manifest(APP);

        SecretsUpdate update = installer().prepare(commit());

        assertThat(update.pending()).isTrue();
        assertThat(update.summary()).isEqualTo("generation 1 prepared: 3 files, new or changed: app/db-password, api,"
                + " rendered/app.conf (restart app.service, app-config.service; reload proxy.service after activation)");
        assertThat(Files.exists(current(), LinkOption.NOFOLLOW_LINKS)).as("invisible until switched").isFalse();

        update.switchLive();
        String note = update.finish(true, null);

        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
        Path gen = root.resolve("1");
        assertThat(perms(root)).isEqualTo("rwxr-x--x");
        assertThat(perms(gen)).isEqualTo("rwxr-x--x");
        assertThat(perms(gen.resolve("app"))).isEqualTo("rwxr-x--x");
        assertThat(perms(gen.resolve("rendered"))).isEqualTo("rwxr-x--x");
        assertThat(owner(gen)).isEqualTo("root:root");
        assertThat(Files.readString(gen.resolve("app/db-password"))).isEqualTo("s3cret-db-password");
        assertThat(perms(gen.resolve("app/db-password"))).isEqualTo("r--r-----");
        assertThat(owner(gen.resolve("app/db-password"))).isEqualTo("root:root");
        assertThat(Files.readString(current().resolve("api"))).isEqualTo("tok-0123456789");
        assertThat(perms(gen.resolve("api"))).isEqualTo("r--------");
        assertThat(Files.readString(gen.resolve("rendered/app.conf")))
                .isEqualTo("password=s3cret-db-password\ntoken=tok-0123456789\n");
        assertThat(perms(gen.resolve("rendered/app.conf"))).isEqualTo("r--------");
        assertThat(perms(gen.resolve(SecretName.LINKS_FILE))).isEqualTo("rw-------");
        assertThat(perms(gen.resolve(SecretName.FINGERPRINT_FILE))).isEqualTo("rw-------");
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.map(p -> root.relativize(p).toString())).containsExactlyInAnyOrder("", "current", "1",
                    "1/app", "1/app/db-password", "1/api", "1/rendered", "1/rendered/app.conf", "1/.links",
                    "1/.manifest-sha256");
        }
        assertThat(systemctl.calls()).containsExactly("try-restart app.service app-config.service",
                "try-reload-or-restart proxy.service");
        assertThat(note).isEqualTo("secrets generation 1 live, restarted app.service, app-config.service;"
                + " reloaded proxy.service");
    }

    @Test
    void aSetOwnerGetsItsPrimaryGroupAndAnExplicitGroupWins() throws IOException {
        encryptValues();
        manifest("""
                [[secrets]]
                name = "for-nobody"
                sops_file = "secrets/app.yaml"
                key = "api_token"
                owner = "nobody"
                [[secrets]]
                name = "group-readable"
                sops_file = "secrets/app.yaml"
                key = "api_token"
                group = "nogroup"
                mode = "0440"
                """);

        deploy();

        assertThat(owner(current().resolve("for-nobody"))).isEqualTo("nobody:nogroup");
        assertThat(perms(current().resolve("for-nobody"))).isEqualTo("r--------");
        assertThat(owner(current().resolve("group-readable"))).isEqualTo("root:nogroup");
        assertThat(perms(current().resolve("group-readable"))).isEqualTo("r--r-----");
    }

    @Test
    void anUnknownOwnerFailsBeforeAnythingIsWritten() {
        encryptValues();
        manifest("""
                [[secrets]]
                name = "a"
                sops_file = "secrets/app.yaml"
                key = "api_token"
                owner = "no-such-user-zz"
                """);

        assertThatThrownBy(() -> installer().prepare(commit()))
                .isInstanceOf(SecretsException.class)
                .hasMessage("secrets/manifest.toml:1: secret \"a\": owner \"no-such-user-zz\" is not a user on this host");
        assertThat(root).doesNotExist();
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void onlyTheUnitsOfChangedSecretsAreRestartedOrReloaded() {
        encryptValues();
        manifest(APP);
        deploy();
        systemctl.clear();

        values.put("api_token", "tok-rotated");
        encryptValues();
        SecretsUpdate update = deploy();

        assertThat(update.summary()).contains("new or changed: api, rendered/app.conf");
        assertThat(systemctl.calls()).as("api changed, and the template that uses it; the db password did not")
                .containsExactly("try-restart app-config.service", "try-reload-or-restart proxy.service");
        assertThat(runner.commands()).last().isEqualTo(List.of("systemctl", "try-reload-or-restart",
                "proxy.service"));
    }

    @Test
    void reEncryptingTheSameValuesKeepsTheLiveGenerationAndRestartsNothing() {
        encryptValues();
        manifest(APP);
        deploy();
        systemctl.clear();
        byte[] before = repo.get("secrets/app.yaml");
        encryptValues();
        assertThat(repo.get("secrets/app.yaml")).as("new IVs, new data key").isNotEqualTo(before);

        SecretsUpdate update = installer().prepare(commit());

        assertThat(update.pending()).isFalse();
        assertThat(update.summary()).isEqualTo("generation 1 already holds these 3 files");
        assertThat(generations()).containsExactly(1);
        assertThat(systemctl.calls()).isEmpty();

        manifest(APP.replace("mode = \"0440\"", "mode = \"0400\""));
        SecretsUpdate modeChange = deploy();
        assertThat(modeChange.summary()).as("a new mode is a new generation, but no content changed")
                .isEqualTo("generation 2 prepared: 3 files, none changed");
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void keepGenerationsKeepsThatManyOlderOnesAndDeletesTheRest() {
        manifest(APP);
        for (int i = 1; i <= 4; i++) {
            values.put("api_token", "tok-" + i);
            encryptValues();
            deploy();
        }
        assertThat(generations()).containsExactly(3, 4);
        assertThat(new SecretsSwitch(root, new SecretsLedger(store)).current()).contains(4);

        keep = 0;
        values.put("api_token", "tok-5");
        encryptValues();
        deploy();
        assertThat(generations()).containsExactly(5);
    }

    @Test
    void aPreparedGenerationIsInvisibleUntilTheAtomicSwitch() throws IOException {
        encryptValues();
        manifest(APP);
        deploy();
        values.put("db/password", "second");
        encryptValues();

        SecretsUpdate update = installer().prepare(commit());

        assertThat(root.resolve("2/app/db-password")).hasContent("second");
        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
        assertThat(current().resolve("app/db-password")).hasContent("s3cret-db-password");

        update.switchLive();

        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("2"));
        assertThat(current().resolve("app/db-password")).hasContent("second");
        try (Stream<Path> all = Files.list(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).as("no temporary link left")
                    .containsExactlyInAnyOrder("1", "2", "current");
        }
    }

    @Test
    void pathLinksPointThroughCurrentAndFollowTheManifest() throws IOException {
        Path link = tmp.resolve("etc/app/token");
        encryptValues();
        manifest(APP + "path = \"" + link + "\"\n");
        deploy();

        assertThat(Files.readSymbolicLink(link)).isEqualTo(current().resolve("rendered/app.conf"));
        assertThat(link).hasContent("password=s3cret-db-password\ntoken=tok-0123456789\n");

        Path moved = tmp.resolve("etc/app/token2");
        manifest(APP + "path = \"" + moved + "\"\n");
        deploy();

        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).as("the old link is removed").isFalse();
        assertThat(Files.readSymbolicLink(moved)).isEqualTo(current().resolve("rendered/app.conf"));

        Path file = Files.writeString(tmp.resolve("etc/real-file"), "do not replace me");
        manifest(APP + "path = \"" + file + "\"\n");
        assertThatThrownBy(() -> installer().prepare(commit()))
                .hasMessage("secrets/manifest.toml:14: template \"app.conf\": path " + file
                        + " exists and is not a symlink; refusing to replace it");
        assertThat(file).hasContent("do not replace me");
    }

    @Test
    void revertMakesThePreviousGenerationLiveAgainAndRemovesTheNewOne() throws IOException {
        Path link = tmp.resolve("links/api");
        encryptValues();
        manifest(APP);
        deploy();
        values.put("api_token", "doomed");
        encryptValues();
        manifest(APP.replace("reload_units", "path = \"" + link + "\"\nreload_units"));
        SecretsUpdate update = installer().prepare(commit());
        update.switchLive();
        assertThat(link).hasContent("doomed");

        String note = update.revert();

        assertThat(note).isEqualTo("secrets switched back to generation 1");
        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
        assertThat(current().resolve("api")).hasContent("tok-0123456789");
        assertThat(generations()).containsExactly(1);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).as("a link only the new generation had").isFalse();
        assertThat(systemctl.calls()).as("nothing restarted for the reverted generation")
                .containsExactly("try-restart app.service app-config.service", "try-reload-or-restart proxy.service");
    }

    @Test
    void revertingTheVeryFirstGenerationLeavesNoneLive() {
        encryptValues();
        manifest(APP);
        SecretsUpdate update = installer().prepare(commit());
        update.switchLive();

        assertThat(update.revert()).isEqualTo("secrets generation 1 removed");
        assertThat(Files.exists(current(), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(generations()).isEmpty();
    }

    @Test
    void discardRemovesAGenerationThatNeverWentLive() {
        encryptValues();
        manifest(APP);
        deploy();
        values.put("api_token", "never-live");
        encryptValues();
        SecretsUpdate update = installer().prepare(commit());
        assertThat(generations()).containsExactly(1, 2);

        update.discard();
        update.discard();

        assertThat(generations()).containsExactly(1);
        assertThat(current().resolve("api")).hasContent("tok-0123456789");
    }

    @Test
    void aTamperedFileFailsNamingTheEntryAndTheLiveGenerationStays() {
        encryptValues();
        manifest(APP);
        deploy();
        String yaml = new String(repo.get("secrets/app.yaml"), StandardCharsets.UTF_8);
        int at = yaml.indexOf("api_token: ENC[AES256_GCM,data:") + "api_token: ENC[AES256_GCM,data:".length();
        char flipped = yaml.charAt(at) == 'A' ? 'B' : 'A';
        repo.put("secrets/app.yaml", (yaml.substring(0, at) + flipped + yaml.substring(at + 1)).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> installer().prepare(commit()))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("secrets/manifest.toml:3: secret \"app/db-password\": secrets/app.yaml: ")
                .hasMessageContaining("api_token")
                .hasMessageNotContaining("tok-").hasMessageNotContaining("s3cret");
        assertThat(generations()).containsExactly(1);
        assertThat(current().resolve("api")).hasContent("tok-0123456789");
    }

    @Test
    void aFileForSomeoneElsesKeyFailsFastNamingItsRecipients() {
        AgeKeys other = AgeKeys.generate(tmp.resolve("other.key"));
        repo.put("secrets/app.yaml", SopsFiles.yaml(values, other.recipient()));
        manifest(APP);

        assertThatThrownBy(() -> installer().prepare(commit()))
                .hasMessageStartingWith("secrets/manifest.toml:3: secret \"app/db-password\": no key opened secrets/app.yaml")
                .hasMessageContaining(other.recipient());
        assertThat(root).doesNotExist();
    }

    @Test
    void agenixFilesAndWholeBinarySopsFilesAreInstalledByteForByte() {
        byte[] keytab = new byte[4096];
        new SecureRandom().nextBytes(keytab);
        keytab[0] = (byte) 0xff;
        repo.put("secrets/krb5.keytab", SopsFiles.binary(keytab, key.recipient()));
        repo.put("secrets/secret1.age", key.encrypt("hello\n".getBytes(StandardCharsets.UTF_8)));
        manifest("""
                [[secrets]]
                name = "krb5.keytab"
                sops_file = "secrets/krb5.keytab"
                [[secrets]]
                name = "agenix/secret1"
                age_file = "secrets/secret1.age"
                """);

        deploy();

        assertThat(current().resolve("krb5.keytab")).hasBinaryContent(keytab);
        assertThat(current().resolve("agenix/secret1")).hasContent("hello\n");
    }

    @Test
    void checkOpensEverythingInMemoryAndWritesNothing() {
        encryptValues();
        manifest(APP + """
                [[secrets]]
                name = "missing"
                sops_file = "secrets/nope.yaml"
                key = "x"
                """);

        SecretsCheck check = installer().check(commit());

        assertThat(check.found()).isTrue();
        assertThat(check.items()).extracting(SecretsCheck.Item::label).containsExactly("secret \"app/db-password\"",
                "secret \"api\"", "secret \"missing\"", "template \"app.conf\"");
        assertThat(check.failures()).singleElement().satisfies(f -> assertThat(f.error()).contains(
                "secrets/manifest.toml:18: secret \"missing\": secrets/nope.yaml: no such file in commit 0123456789ab"));
        assertThat(check.wouldChange().describe())
                .isEqualTo("restart app.service, app-config.service; reload proxy.service");
        assertThat(root).doesNotExist();
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void aCommitWithoutManifestLeavesSecretsAlone() {
        SecretsUpdate update = installer().prepare(commit());
        assertThat(update.pending()).isFalse();
        assertThat(update.summary()).isEqualTo("no secrets/manifest.toml in the commit; secrets left as they are");
        assertThat(installer().check(commit()).found()).isFalse();
    }

    @Test
    void nothingInstalledIsReadableByOtherUsers() throws IOException {
        encryptValues();
        manifest(APP);
        deploy();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
                        .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            }
        }
    }

    @Test
    void aFailingRestartIsReportedNotThrown() {
        encryptValues();
        manifest(APP);
        systemctl.exitWith(1);
        SecretsUpdate update = installer().prepare(commit());
        update.switchLive();

        String note = update.finish(true, null);

        assertThat(note).startsWith("secrets generation 1 live, try-restart app.service, app-config.service failed: ")
                .contains("exited with status 1");
    }

    @Test
    void bootDefersUnitRestarts() {
        encryptValues();
        manifest(APP);
        SecretsUpdate update = installer().prepare(commit());
        update.switchLive();

        assertThat(update.finish(false, null)).isEqualTo("secrets generation 1 live, units restart at the next boot"
                + " (restart app.service, app-config.service; reload proxy.service)");
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void unitsOwedByAProcessThatDiedAfterTheSwitchAreRestartedByTheNextCycle() {
        encryptValues();
        manifest(APP);
        deploy();
        systemctl.clear();
        values.put("api_token", "tok-rotated");
        encryptValues();
        SecretsUpdate interrupted = installer().prepare(commit());
        interrupted.switchLive();
        // the process dies here: activation never ends, finish never runs
        restartProcess();

        SecretsUpdate next = installer().prepare(commit());
        assertThat(next.summary()).isEqualTo("generation 2 already holds these 3 files");
        next.switchLive();
        String note = next.finish(true, null);

        assertThat(note).isEqualTo("secrets owed by an interrupted cycle: restarted app-config.service;"
                + " reloaded proxy.service");
        assertThat(systemctl.calls()).containsExactly("try-restart app-config.service",
                "try-reload-or-restart proxy.service");

        systemctl.clear();
        SecretsUpdate after = installer().prepare(commit());
        assertThat(after.finish(true, null)).as("owed once, restarted once").isEmpty();
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void aRevertedGenerationOwesNothing() {
        encryptValues();
        manifest(APP);
        deploy();
        systemctl.clear();
        byte[] good = repo.get("secrets/app.yaml");
        values.put("api_token", "doomed");
        encryptValues();
        SecretsUpdate doomed = installer().prepare(commit());
        doomed.switchLive();
        doomed.revert();
        repo.put("secrets/app.yaml", good);

        SecretsUpdate next = installer().prepare(commit());
        next.finish(true, null);

        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void whatAKilledWriterLeftIsRemovedAndNeverKeptInPlaceOfTheLastGoodGeneration() throws IOException {
        manifest(APP);
        for (int i = 1; i <= 2; i++) {
            values.put("api_token", "tok-" + i);
            encryptValues();
            deploy();
        }
        // a writer killed mid-generation: a numbered directory (older agents) or a hidden partial one
        Files.createDirectories(root.resolve("3/app"));
        Files.writeString(root.resolve("3/app/.db-password.gitops-tmp"), "half");
        Files.createDirectories(root.resolve(".4.partial/app"));
        Files.writeString(root.resolve(".4.partial/api"), "half");

        values.put("api_token", "tok-3");
        encryptValues();
        SecretsUpdate update = deploy();

        assertThat(update.summary()).startsWith("generation 3 prepared: 3 files");
        assertThat(generations()).as("the last good generation is kept as the previous one").containsExactly(2, 3);
        assertThat(root.resolve("2/api")).hasContent("tok-2");
        assertThat(root.resolve("3/api")).hasContent("tok-3");
        assertThat(root.resolve(".4.partial")).doesNotExist();
    }

    @Test
    void everySuccessfulCyclePrunesToKeepGenerationsEvenWithoutANewGeneration() {
        manifest(APP);
        keep = 3;
        for (int i = 1; i <= 4; i++) {
            values.put("api_token", "tok-" + i);
            encryptValues();
            deploy();
        }
        assertThat(generations()).containsExactly(1, 2, 3, 4);

        keep = 1;
        SecretsUpdate unchanged = deploy();

        assertThat(unchanged.summary()).isEqualTo("generation 4 already holds these 3 files");
        assertThat(generations()).containsExactly(3, 4);
    }

    @Test
    void anEmptiedSecretsRootIsNoticedFromWhatIsOnDisk() throws IOException {
        encryptValues();
        manifest(APP);
        assertThat(installer().reinstallNeeded()).as("nothing installed yet, nothing expected").isFalse();
        deploy();
        assertThat(installer().reinstallNeeded()).isFalse();

        repo.remove("secrets/manifest.toml");
        deploy();
        manifest(APP);
        assertThat(deploy().summary()).isEqualTo("generation 1 already holds these 3 files");
        assertThat(installer().reinstallNeeded()).isFalse();

        emptyRoot();
        restartProcess();

        assertThat(installer().reinstallNeeded()).as("the tmpfs after a reboot").isTrue();
        deploy();
        assertThat(installer().reinstallNeeded()).isFalse();
        assertThat(current().resolve("api")).hasContent("tok-0123456789");
    }

    @Test
    void aCommitWithoutManifestExpectsNoSecretsAfterAReboot() throws IOException {
        encryptValues();
        manifest(APP);
        deploy();
        repo.remove("secrets/manifest.toml");
        deploy();
        emptyRoot();

        assertThat(installer().reinstallNeeded()).isFalse();
    }

    void emptyRoot() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Every path under tmp (the state database aside) with its type, link target or content, and mode. */
    Map<String, String> disk() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.filter(p -> !p.getFileName().toString().startsWith("state.db")).toList()) {
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "-> " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p)) {
                    what = perms(p) + " " + Files.readString(p, StandardCharsets.ISO_8859_1);
                } else {
                    what = perms(p) + " dir";
                }
                out.put(tmp.relativize(p).toString(), what);
            }
        }
        return out;
    }

    void assertRefusedChangingNothing(String path, String reason) throws IOException {
        Map<String, String> before = disk();
        manifest(APP + "path = \"" + path + "\"\n");

        assertThatThrownBy(() -> installer().prepare(commit()))
                .isInstanceOf(SecretsException.class)
                .hasMessageMatching("secrets/manifest\\.toml:1[48]: template \"app\\.conf\": .*")
                .hasMessageContaining(reason);
        assertThat(disk()).as("nothing changed on disk").isEqualTo(before);
    }

    @Test
    void linksIntoTheAgentsOwnDirectoriesAreRefusedAndNothingChanges() throws IOException {
        encryptValues();
        manifest(APP);
        deploy();
        Files.createDirectories(tmp.resolve("profiles"));
        Files.createSymbolicLink(tmp.resolve("profiles/system"), Path.of("system-1-link"));
        Files.createSymbolicLink(tmp.resolve("sneaky"), root);

        assertRefusedChangingNothing(root.resolve("current").toString(), "is inside the secrets root " + root);
        assertRefusedChangingNothing(root.resolve("elsewhere").toString(), "is inside the secrets root");
        assertRefusedChangingNothing(tmp.resolve("state/secrets-installed").toString(),
                "is inside the agent's state directory " + tmp.resolve("state"));
        assertRefusedChangingNothing(tmp.resolve("profiles/system").toString(),
                "is inside the system profile directory " + tmp.resolve("profiles"));
        assertRefusedChangingNothing("/nix/var/nix/profiles/system", "is inside the Nix directory /nix");
        assertRefusedChangingNothing(tmp.resolve("sneaky/current").toString(),
                "(really " + root.resolve("current") + ") is inside the secrets root");
        assertRefusedChangingNothing(tmp + "/etc/../state/x", "expected a normalized absolute path");
        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
    }

    @Test
    void aLinkTheAgentDidNotCreateIsNeverReplaced() throws IOException {
        encryptValues();
        manifest(APP);
        deploy();
        Files.createDirectories(tmp.resolve("etc"));
        Path foreign = Files.createSymbolicLink(tmp.resolve("etc/resolv.conf"), Path.of("/run/somebody-else"));

        assertRefusedChangingNothing(foreign.toString(), "path " + foreign + " is a symlink gitops-sync did not"
                + " create; refusing to replace it");
        assertThat(Files.readSymbolicLink(foreign)).isEqualTo(Path.of("/run/somebody-else"));
    }

    @Test
    void theAgentsOwnLinksStayItsOwnAcrossARebootThatEmptiedTheRoot() throws IOException {
        Path link = tmp.resolve("etc/app/conf");
        encryptValues();
        manifest(APP + "path = \"" + link + "\"\n");
        deploy();
        emptyRoot();
        restartProcess();

        deploy();

        assertThat(Files.readSymbolicLink(link)).isEqualTo(current().resolve("rendered/app.conf"));
        assertThat(link).hasContent("password=s3cret-db-password\ntoken=tok-0123456789\n");
    }

    @Test
    void aLinkMissingBecauseTheSwitchWasKilledComesBackWhenTheGenerationIsAlreadyLive() throws IOException {
        Path link = tmp.resolve("etc/app/conf");
        encryptValues();
        manifest(APP + "path = \"" + link + "\"\n");
        deploy();
        // a kill after current was repointed and before the links were made
        Files.delete(link);

        SecretsUpdate again = deploy();

        assertThat(again.summary()).contains("already holds these");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(current().resolve("rendered/app.conf"));
    }
}
