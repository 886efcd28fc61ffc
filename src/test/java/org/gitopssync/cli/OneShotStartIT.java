package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot command starts nothing a no-op cycle does not use (issue 15): no Quarkus container (it starts from
 * {@link Launch}, not quarkus-run.jar), no Vert.x or Netty, no scheduler, no Jackson, no Micrometer, no BouncyCastle
 * (whose signed jars are verified on first load), no jar signature check at all, and no log manager, JBoss's or
 * java.util.logging's, nor a provider search of jboss-logging or slf4j (each looks through every jar for services as
 * it starts). It prints, logs and exits exactly
 * as under Quarkus, and SIGTERM still cancels and records its cycle. The daemon still serves its web endpoint, on a
 * Vert.x of its own. (Jackson's core exception types are loaded to verify the classes that catch them; no mapper is
 * built.)
 */
class OneShotStartIT {

    private static final List<String> NOT_FOR_A_NO_OP = List.of("io.vertx.", "io.netty.", "io.quarkus.scheduler.",
            "io.quarkus.vertx.", "com.fasterxml.jackson.databind.", "io.micrometer.", "org.bouncycastle.",
            // the container: its runtime, CDI, SmallRye Config, the picocli extension (its annotations are only read)
            "io.quarkus.runtime.", "io.quarkus.arc.", "io.smallrye.config.", "io.quarkus.picocli.runtime.Picocli",
            "io.quarkus.picocli.runtime.DefaultPicocliCommandLineFactory",
            // a signed jar's signature check (JGit's jars ship without their signature)
            "sun.security.pkcs.PKCS7", "sun.security.util.ManifestEntryVerifier",
            // logging that looks through every jar as it starts: JBoss LogManager, its slf4j provider, jboss-logging's
            // and slf4j's provider searches, java.util.logging's manager (its start looks for the JDK's logger
            // finder), and java.util.logging levels of their own names (the first costs a start ~8 ms)
            "org.jboss.logmanager.LogContext", "org.jboss.logmanager.LogManager", "org.slf4j.impl.",
            "org.jboss.logging.JBossLogManagerProvider", "java.util.logging.LogManager",
            "jdk.internal.logger.BootstrapLogger$DetectBackend", "org.jboss.logging.JDKLevel",
            "org.gitopssync.cli.ConsoleLevels", "org.jboss.logmanager.Level");

    @TempDir
    Path tmp;

    @Test
    void aNoOpSyncLoadsNoWebServerSchedulerJsonMetricsOrOpenPgpClasses() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        Path config = new AgentFixture(tmp, repo).writeConfig();
        AppProcess.Result first = AppProcess.run(tmp, Map.of(), "sync", "--once", "--config", config.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();

        Path classes = tmp.resolve("classes.txt");
        List<String> argv = AppProcess.argv("sync", "--once", "--config", config.toString());
        argv.add(1, "-Xlog:class+load=info:file=" + classes);
        Process p = new ProcessBuilder(argv).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("unchanged");

        List<String> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(classes)) {
            String[] words = line.split(" ");
            if (words.length > 1 && NOT_FOR_A_NO_OP.stream().anyMatch(words[1]::startsWith)) {
                loaded.add(words[1]);
            }
        }
        assertThat(loaded).as("classes a no-op sync loaded that it does not need").isEmpty();
    }

    @Test
    void theJdksOwnLoggersPrintOnTheConsoleAsUnderQuarkus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            // the JDK's HTTP client logs each request through System.Logger when asked to: an http hook's POST
            List<String> lean = AppProcess.argv("sync", "--once", "--config", hookedConfig("lean", url));
            lean.add(1, "-Djdk.httpclient.HttpClient.log=requests");
            List<String> quarkus = new ArrayList<>(AppProcess.quarkusEntry());
            quarkus.add(1, "-Djdk.httpclient.HttpClient.log=requests");
            quarkus.addAll(List.of("sync", "--once", "--config", hookedConfig("quarkus", url)));

            String leanOut = output(lean);
            List<String> leanLines = requestLines(leanOut);
            assertThat(leanLines).as("the hook's request, logged by the JDK: %s", leanOut).isNotEmpty()
                    .allMatch(l -> l.startsWith("TIME INFO  REQUEST: " + url));
            assertThat(leanLines).isEqualTo(requestLines(output(quarkus)));
        } finally {
            server.stop(0);
        }
    }

    private String hookedConfig(String name, String url) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        DemoFlakeRepo repo = DemoFlakeRepo.create(dir);
        return new AgentFixture(dir, repo)
                .extra("[[hooks]]\ntype = \"http\"\non = [\"deployed\"]\nurl = \"" + url + "\"\nallow_private_hosts = true\n")
                .writeConfig().toString();
    }

    private static List<String> requestLines(String output) {
        return output.lines().filter(l -> l.contains("REQUEST: "))
                .map(l -> l.replaceAll("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "TIME")).toList();
    }

    @Test
    void picocliDoesNotSearchTheClassPathForGroovy() throws Exception {
        // picocli's own trace says so when the property that spares the search is set
        List<String> argv = AppProcess.argv("--version");
        argv.add(1, "-Dpicocli.trace=INFO");
        String out = output(argv);
        assertThat(out).startsWith("0\n").contains("groovy Closures in annotations are disabled");
    }

    @Test
    void theOneShotEntryPrintsAndExitsAsTheQuarkusEntryDoes() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo);
        String config = fixture.writeConfig().toString();
        Path json = tmp.resolve("json.toml");
        Files.writeString(json, fixture.toml() + "\n[log]\nformat = \"json\"\n");
        Path broken = tmp.resolve("broken.toml");
        Files.writeString(broken, "hostname = \"demo\"\n[repository]\nbranch = 3\n");
        assertThat(AppProcess.run(tmp, Map.of(), "sync", "--once", "--config", config).exitCode()).isZero();

        List<List<String>> commands = List.of(List.of("--help"), List.of("--version"), List.of("sync", "--help"),
                List.of("secrets", "--help"), List.of("snyc"), List.of("sync", "--no-such-option"),
                List.of("sync", "--once", "--config", config), List.of("sync", "--once", "--config", json.toString()),
                List.of("sync", "--once", "--json", "--config", config), List.of("config", "check", broken.toString()),
                List.of("sync", "--config", broken.toString()), List.of("status", "--config", config),
                List.of("sync", "--config", tmp.resolve("missing.toml").toString()));
        for (List<String> command : commands) {
            String[] args = command.toArray(String[]::new);
            AppProcess.Result lean = AppProcess.run(tmp, Map.of(), args);
            AppProcess.Result quarkus = AppProcess.runInQuarkus(tmp, Map.of(), args);
            assertThat(comparable(lean)).as(String.join(" ", command)).isEqualTo(comparable(quarkus));
        }
    }

    @Test
    void aConsoleFormatOnlyTheLogManagerKnowsStillPrintsAsUnderQuarkus() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String config = new AgentFixture(tmp, repo).writeConfig().toString();
        assertThat(AppProcess.run(tmp, Map.of(), "sync", "--once", "--config", config).exitCode()).isZero();

        String format = "-Dquarkus.log.console.format=%d{HH:mm:ss} %p [%c] %s%e%n";
        List<String> lean = AppProcess.argv("sync", "--once", "--config", config);
        lean.add(1, format);
        List<String> quarkus = new ArrayList<>(AppProcess.quarkusEntry());
        quarkus.add(1, format);
        quarkus.addAll(List.of("sync", "--once", "--config", config));
        String leanOut = output(lean);
        assertThat(leanOut).contains("INFO [org.gitopssync.reconcile.Reconciler] cycle ");
        assertThat(comparable(leanOut)).isEqualTo(comparable(output(quarkus)));
    }

    private String output(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return p.exitValue() + "\n" + out;
    }

    /** Exit code and output, with what differs between two runs (times, cycle numbers, durations) masked. */
    private static String comparable(AppProcess.Result r) {
        return comparable(r.exitCode() + "\n" + r.stdout() + "\n" + r.stderr());
    }

    private static String comparable(String output) {
        return output
                .replaceAll("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z?", "TIME")
                .replaceAll("\\d\\d:\\d\\d:\\d\\d", "TIME")
                .replaceAll("(?i)(cycle(Id)?\"? ?:? ?#?|cycle-)\\d+", "$1N")
                .replaceAll("\\d+(\\.\\d+)? ?(ms|s|m|h)\\b", "DURATION");
    }

    @Test
    void aOneShotCommandUsesThePackagedSqliteLibraryAndLeavesTheTempDirectoryAlone() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        Path config = new AgentFixture(tmp, repo).writeConfig();
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        // what sqlite-jdbc takes for a stale copy another process left behind, and sweeps on start
        Path stale = Files.writeString(javaTmp.resolve("sqlite-3.50.3.0-left-behind-libsqlitejdbc.so"), "");

        List<String> lean = AppProcess.argv("sync", "--once", "--config", config.toString());
        lean.add(1, "-Djava.io.tmpdir=" + javaTmp);
        Process p = new ProcessBuilder(lean).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(stale).as("the one-shot entry neither extracts into nor sweeps the temp directory").exists();

        List<String> quarkus = new ArrayList<>(AppProcess.quarkusEntry());
        quarkus.add(1, "-Djava.io.tmpdir=" + javaTmp);
        quarkus.addAll(List.of("status", "--config", config.toString()));
        Process q = new ProcessBuilder(quarkus).directory(tmp.toFile()).redirectErrorStream(true).start();
        String qOut = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(stale).as("sqlite-jdbc's own extraction sweeps it (else this test plants the wrong name): " + qOut)
                .doesNotExist();
    }

    @Test
    void sigtermDuringAOneShotBuildCancelsItAndRecordsTheCycle() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String marker = "gitops-sync-wait-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \": " + marker + "; while :; do /bin/sleep 0.2; done\" ];");
        repo.commit("a build that never ends");
        AgentFixture fixture = new AgentFixture(tmp, repo);
        Path config = fixture.writeConfig();
        int exit;
        try (AppProcess.Running sync = AppProcess.start(tmp, Map.of(), "sync", "--once", "--config", config.toString())) {
            sync.awaitLine("cycle 1: source:");
            assertThat(Processes.await(() -> !Processes.withMarker(marker).isEmpty())).as("the builder started").isTrue();
            exit = sync.terminate();
            assertThat(sync.stderr()).as("a clean stop logs no stack trace").doesNotContain("Exception", "\tat ");
        }
        assertThat(exit).as("killed by SIGTERM, as the JVM reports it").isEqualTo(143);
        assertThat(Processes.withMarker(marker)).as("builder processes left behind").isEmpty();
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            CycleRecord c = store.recentCycles(1).get(0);
            assertThat(c.outcome()).as("the cycle was recorded before the process ended").isEqualTo(CycleOutcome.CANCELLED);
            assertThat(c.stage()).isEqualTo("build");
        }
    }

    @Test
    void theDaemonStillServesItsWebEndpoint() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        int port = freePort();
        Path config = new AgentFixture(tmp, repo).repositoryKeys("poll_interval = \"1h\"")
                .extra("[web]\nenable = true\nport = " + port + "\n").writeConfig();
        try (AppProcess.Running daemon = AppProcess.start(tmp, Map.of(), "daemon", "--config", config.toString())) {
            daemon.awaitLine("web: listening");
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            daemon.awaitLine("cycle 1: deployed");
            assertThat(daemon.terminate()).as(daemon.stderr()).isIn(0, 143);
        }
        assertThat(tmp.resolve(".vertx")).as("no Vert.x file cache in the working directory").doesNotExist();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
