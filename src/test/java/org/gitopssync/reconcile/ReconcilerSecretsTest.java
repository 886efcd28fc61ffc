package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.DemoSecrets;
import org.gitopssync.testing.RecordingCommandRunner;
import org.gitopssync.testing.SystemctlDouble;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole cycles with the demo flake's secrets: real git, real nix, real files, a recording systemctl. */
class ReconcilerSecretsTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;
    SystemctlDouble systemctl;
    Map<String, String> values;

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        runner = new RecordingCommandRunner();
        systemctl = fixture.systemctl();
        values = DemoSecrets.values();
    }

    private CycleReport cycle() {
        return cycle(new CycleRequest(Trigger.MANUAL, false, false), Map.of());
    }

    private CycleReport cycle(CycleRequest request, Map<String, String> env) {
        return cycle(request, env, runner);
    }

    private CycleReport cycle(CycleRequest request, Map<String, String> env, CommandRunner runner) {
        try (Agent agent = Agent.open(fixture.load(env).settings(), Map.of(), runner, Clock.systemUTC())) {
            return agent.reconciler().run(request, Cancellation.none());
        }
    }

    private Path current() {
        return fixture.secretsRoot().resolve("current");
    }

    private String live(String name) throws IOException {
        return Files.readString(current().resolve(name));
    }

    private List<String> generations() throws IOException {
        try (Stream<Path> list = Files.list(fixture.secretsRoot())) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).sorted().toList();
        }
    }

    private String motd() throws IOException {
        return Files.readString(repo.root().resolve("etc/motd"));
    }

    private List<String> activations() throws IOException {
        return Files.readAllLines(repo.root().resolve("activations.log"));
    }

    @Test
    void theFirstDeployInstallsEverySecretAndRestartsTheirUnits() throws IOException {
        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.summary()).endsWith("; secrets generation 1 live, restarted demo-greeter.service;"
                + " reloaded demo-motd.service");
        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
        assertThat(live("demo/api-token")).isEqualTo(values.get("api_token"));
        assertThat(live("demo/db-password")).isEqualTo(values.get("database/password"));
        assertThat(live("demo/motd-signature")).isEqualTo(values.get("motd_signature"));
        assertThat(live("rendered/demo.env")).isEqualTo("API_TOKEN=" + values.get("api_token") + "\nDB_PASSWORD="
                + values.get("database/password") + "\n");
        assertThat(systemctl.calls()).containsExactly("try-restart demo-greeter.service",
                "try-reload-or-restart demo-motd.service");
        assertThat(Files.readString(report.log())).contains(systemctl.path() + " try-restart demo-greeter.service");
    }

    @Test
    void aCommitChangingOneSecretOnlySwitchesSecretsAndTouchesOnlyItsUnits() throws IOException {
        CycleReport first = cycle();
        systemctl.clear();
        values.put("motd_signature", "-- a new signature");
        DemoSecrets.write(repo, values);
        repo.commit("rotate the motd signature");

        CycleReport report = cycle();

        assertThat(report.outcome()).as("the system is the same: secrets go live on their own")
                .isEqualTo(CycleOutcome.UP_TO_DATE);
        assertThat(report.outPath()).isEqualTo(first.outPath());
        assertThat(report.summary()).endsWith("nothing to activate; secrets generation 2 live, reloaded demo-motd.service");
        assertThat(live("demo/motd-signature")).isEqualTo("-- a new signature");
        assertThat(systemctl.calls()).containsExactly("try-reload-or-restart demo-motd.service");
        assertThat(activations()).hasSize(1);

        systemctl.clear();
        values.put("api_token", "a-new-token");
        DemoSecrets.write(repo, values);
        repo.commitMotd("New token, new system.");

        CycleReport third = cycle();

        assertThat(third.outcome()).as(third.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(third.summary()).endsWith("; secrets generation 3 live, restarted demo-greeter.service");
        assertThat(live("demo/api-token")).isEqualTo("a-new-token");
        assertThat(live("rendered/demo.env")).startsWith("API_TOKEN=a-new-token\n");
        assertThat(systemctl.calls()).containsExactly("try-restart demo-greeter.service");
        assertThat(generations()).as("keep_generations = 1").containsExactly("2", "3");
    }

    @Test
    void aTamperedSecretFailsTheCycleBeforeBuildingAndChangesNothing() throws IOException {
        CycleReport first = cycle();
        systemctl.clear();
        runner.clear();
        String yaml = Files.readString(repo.dir().resolve("secrets/demo.yaml"));
        String marker = "api_token: ENC[AES256_GCM,data:";
        int at = yaml.indexOf(marker) + marker.length();
        repo.write("secrets/demo.yaml", yaml.substring(0, at) + (yaml.charAt(at) == 'A' ? 'B' : 'A') + yaml.substring(at + 1));
        repo.commitMotd("Tampered.");

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.SECRETS);
        assertThat(report.summary()).startsWith("secrets/manifest.toml:10: secret \"demo/api-token\": secrets/demo.yaml:")
                .contains("api_token", "authentication failed");
        assertThat(runner.ran("nix")).as("nothing was built").isFalse();
        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
        assertThat(generations()).containsExactly("1");
        assertThat(live("demo/api-token")).isEqualTo(values.get("api_token"));
        assertThat(new SystemProfile(fixture.profile(), repo.root().resolve("run/current-system")).running())
                .contains(first.outPath());
        assertThat(motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
        assertThat(activations()).hasSize(1);
        assertThat(systemctl.calls()).isEmpty();
        assertThat(cycle().outcome()).as("retried on the next poll (a key may have been added meanwhile)")
                .isEqualTo(CycleOutcome.FAILED);
    }

    @Test
    void aFailedActivationSwitchesTheSecretsBack() throws IOException {
        cycle();
        systemctl.clear();
        values.put("api_token", "token-of-a-doomed-system");
        DemoSecrets.write(repo, values);
        repo.write("FAIL_ACTIVATION", "the new system refuses to start\n");
        repo.commitMotd("Doomed.");

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.DEPLOY);
        assertThat(report.summary()).contains("rolled back to generation 1")
                .endsWith("; secrets switched back to generation 1");
        assertThat(Files.readSymbolicLink(current())).isEqualTo(Path.of("1"));
        assertThat(live("demo/api-token")).isEqualTo(DemoSecrets.values().get("api_token"));
        assertThat(generations()).containsExactly("1");
        assertThat(systemctl.calls()).as("nothing restarted").isEmpty();
    }

    @Test
    void afterARebootEmptiedTheTmpfsAnUnchangedBranchInstallsTheSecretsAgain() throws IOException {
        cycle();
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        try (Stream<Path> walk = Files.walk(fixture.secretsRoot())) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        systemctl.clear();

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.UP_TO_DATE);
        assertThat(report.summary()).endsWith("; secrets generation 1 live, restarted demo-greeter.service;"
                + " reloaded demo-motd.service");
        assertThat(live("demo/api-token")).isEqualTo(values.get("api_token"));
        assertThat(activations()).as("the running system is left alone").hasSize(1);
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
    }

    @Test
    void aDryRunChecksThatSecretsOpenButWritesNothing() {
        CycleReport report = cycle(new CycleRequest(Trigger.MANUAL, true, false), Map.of());

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.BUILT);
        assertThat(report.summary()).endsWith("; secrets: 4 secrets and templates open; would restart"
                + " demo-greeter.service; reload demo-motd.service");
        assertThat(fixture.secretsRoot()).doesNotExist();
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void dryActivateOnlyReportsWhatWouldBeRestarted() {
        CycleReport report = cycle(CycleRequest.of(Trigger.MANUAL), Map.of("GITOPS_DEPLOY_OPERATION", "dry-activate"));

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.BUILT);
        assertThat(report.summary()).contains("dry-activate").endsWith("; secrets: 4 secrets and templates open;"
                + " would restart demo-greeter.service; reload demo-motd.service");
        assertThat(fixture.secretsRoot()).doesNotExist();
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void operationBuildNeverDecryptsAnything() {
        fixture.secrets("age_key_files", "[\"" + tmp.resolve("no-such.key") + "\"]");

        CycleReport report = cycle(CycleRequest.of(Trigger.MANUAL), Map.of("GITOPS_DEPLOY_OPERATION", "build"));

        assertThat(report.outcome()).as("the missing key is never read").isEqualTo(CycleOutcome.BUILT);
        assertThat(fixture.secretsRoot()).doesNotExist();
    }

    @Test
    void noSecretValueReachesLogsTheStateDirectoryOrTheSystemClosure() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : String.valueOf(r.getMessage()));
                if (r.getParameters() != null) {
                    for (Object p : r.getParameters()) {
                        logged.add(String.valueOf(p));
                    }
                }
                for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                    logged.add(String.valueOf(t));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        Level before = root.getLevel();
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        CycleReport first;
        try {
            first = cycle();
            values.put("api_token", "second-token-value");
            DemoSecrets.write(repo, values);
            repo.commit("rotate");
            cycle();
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
        }

        assertThat(String.join("\n", logged)).as("the capture saw the secrets stage at DEBUG")
                .contains("secrets: wrote secret \"demo/api-token\"", "secrets: generation 1 prepared");
        List<String> plaintexts = new ArrayList<>(DemoSecrets.values().values());
        plaintexts.add("second-token-value");
        for (String secret : plaintexts) {
            assertThat(logged).as("log records").noneMatch(line -> line.contains(secret));
            assertThat(filesContaining(fixture.stateDir(), secret)).as("state dir, cycle logs, database").isEmpty();
        }
        Process closure = new ProcessBuilder("nix-store", "-qR", first.outPath()).redirectErrorStream(true).start();
        List<Path> storePaths = new String(closure.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(Path::of).toList();
        assertThat(closure.waitFor()).isZero();
        assertThat(storePaths).isNotEmpty();
        for (Path storePath : storePaths) {
            for (String secret : plaintexts) {
                assertThat(filesContaining(storePath, secret)).as("the system closure").isEmpty();
            }
        }
    }

    /** What {@code kill -9} does to the agent: it stops where it is, no catch, no finally of its own. */
    private static final class SimulatedKill extends Error {
        SimulatedKill() {
            super("killed during activation");
        }
    }

    /** The real runner, except that the process "dies" the moment activation starts. */
    private static final class ActivationCrashDouble extends CommandRunner {
        @Override
        public CommandResult run(Command command, Cancellation cancellation) {
            if (command.argv().get(0).endsWith("/bin/switch-to-configuration")) {
                throw new SimulatedKill();
            }
            return super.run(command, cancellation);
        }
    }

    @Test
    void unitRestartsOwedByACycleKilledDuringActivationArePerformedByTheNextCycle() throws IOException {
        cycle();
        systemctl.clear();
        values.put("api_token", "token-of-an-interrupted-cycle");
        DemoSecrets.write(repo, values);
        repo.commitMotd("New token, new system.");

        // the reconciler records any Throwable as a failed cycle; nothing after the throw point ran,
        // as with a kill, so the restarts are still owed
        CycleReport killed = cycle(CycleRequest.of(Trigger.MANUAL), Map.of(), new ActivationCrashDouble());
        assertThat(killed.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(live("demo/api-token")).as("the secrets switch happened before the kill")
                .isEqualTo("token-of-an-interrupted-cycle");
        assertThat(systemctl.calls()).isEmpty();

        CycleReport next = cycle();

        assertThat(next.outcome()).as(next.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(next.summary()).endsWith(")" + "; secrets owed by an interrupted cycle: restarted"
                + " demo-greeter.service");
        assertThat(generations()).as("no new generation: the live one already holds these files").containsExactly("1", "2");
        assertThat(systemctl.calls()).containsExactly("try-restart demo-greeter.service");
        systemctl.clear();
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(systemctl.calls()).as("restarted once").isEmpty();
    }

    @Test
    void aRewindUndoingASecretsOnlyCommitIsRefusedNamingBothCommits() throws IOException {
        String deployed = repo.head();
        cycle();
        values.put("motd_signature", "-- rotated");
        DemoSecrets.write(repo, values);
        String rotated = repo.commit("rotate the motd signature");
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UP_TO_DATE);

        repo.resetHard(deployed);
        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.REFUSED);
        assertThat(report.summary()).contains("refusing " + deployed.substring(0, 12),
                "the last commit whose secrets went live " + rotated.substring(0, 12));
        assertThat(live("demo/motd-signature")).as("the rotation stays").isEqualTo("-- rotated");
    }

    @Test
    void secretsComeBackAfterARebootAlsoWhenAnEarlierCommitHadNoManifest() throws IOException {
        cycle();
        Path manifest = repo.dir().resolve("secrets/manifest.toml");
        String text = Files.readString(manifest);
        Files.delete(manifest);
        repo.commit("no secrets for a while");
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UP_TO_DATE);
        repo.write("secrets/manifest.toml", text);
        repo.commit("secrets are back");
        assertThat(cycle().summary()).as("generation 1 already holds these files").endsWith("nothing to activate");
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        try (Stream<Path> walk = Files.walk(fixture.secretsRoot())) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.UP_TO_DATE);
        assertThat(report.summary()).contains("secrets generation 1 live");
        assertThat(live("demo/api-token")).isEqualTo(values.get("api_token"));
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
    }

    private static List<Path> filesContaining(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
