package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.WebSettings;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in Debian's real chromium (headless): what the DOM holds after the page loaded with its
 * script, after real cycles with real git, nix and SQLite (a deployment, one whose subject is an HTML payload,
 * and a failed build). Skipped, saying why, where chromium cannot be found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {

    static final String HOSTILE_SUBJECT = "<img src=x onerror=alert(1)>";

    @TempDir
    static Path tmp;

    Path chromium;
    Vertx vertx;
    Agent agent;
    WebServer server;
    String first;
    String hostile;
    String broken;
    List<CycleReport> reports = new ArrayList<>();

    @BeforeAll
    void runCyclesAndServe() throws IOException {
        chromium = findChromium().orElse(null);
        assumeTrue(chromium != null, "chromium not found on PATH (Debian: apt-get install -y chromium; bin/setup.sh"
                + " installs it): the status page browser test is skipped");
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        agent = new AgentFixture(tmp, repo).open(new RecordingCommandRunner());
        first = repo.head();
        reports.add(cycle());
        repo.commitMotd("Served by the page.");
        hostile = commitWithSubject(repo, HOSTILE_SUBJECT);
        reports.add(cycle());
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"echo this build fails on purpose >&2; exit 3\" ];");
        broken = repo.commit("break the packages");
        reports.add(cycle());
        assertThat(reports).extracting(CycleReport::outcome)
                .containsExactly(CycleOutcome.DEPLOYED, CycleOutcome.DEPLOYED, CycleOutcome.FAILED);
        vertx = Vertx.vertx();
        server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null), new WebServer.Routes(
                () -> null, new RunPages(agent.store(), agent.settings()), Map.of(), null));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
            vertx.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private CycleReport cycle() {
        return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
    }

    /** A commit whose subject is the payload: the deployed commit's subject. */
    private static String commitWithSubject(DemoFlakeRepo repo, String subject) {
        repo.write("NOTE", subject + "\n");
        return repo.commit(subject);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void thePageShowsTheDeployedCommitAndTheLastCycles() throws Exception {
        String dom = dumpDom(url("/"));

        assertThat(dom).contains("<h1>demo</h1>", "deployed commit", hostile.substring(0, 12), "Last cycles");
        for (CycleReport r : reports) {
            assertThat(dom).contains("href=\"/runs/" + r.cycleId() + "\"");
        }
        assertThat(dom).contains(broken.substring(0, 12), "break the packages", "in build", "source ", "build ");
        assertThat(dom).as("the failed attribute links to its log").containsPattern("href=\"/runs/ci/\\d+/log/");
    }

    @Test
    void aCommitSubjectThatIsHtmlRendersAsText() throws Exception {
        String dom = dumpDom(url("/"));

        assertThat(dom).as("no element was made of the subject").doesNotContain("<img").doesNotContain("onerror=\"");
        assertThat(dom).contains("&lt;img src=x onerror=alert(1)&gt;");
        String cycle = dumpDom(url("/runs/" + reports.get(1).cycleId()));
        assertThat(cycle).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;", "Stages", "deploy");
    }

    @Test
    void aScreenshotOfThePageIsTaken() throws Exception {
        Path png = tmp.resolve("status-page.png");
        run(List.of("--window-size=1100,1500", "--screenshot=" + png, url("/")));

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(10_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        // kept for docs/status-page.png: copy it from target/ when the page changes
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target/status-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theStylesheetAndScriptComeFromTheJarWithTypesAndCacheHeaders() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String[] asset : new String[][] {{StaticAssets.STYLESHEET, "text/css"}, {StaticAssets.SCRIPT, "text/javascript"}}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(asset[0]))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(asset[1]));
            assertThat(r.headers().firstValue("cache-control")).hasValue("public, max-age=3600");
            String etag = r.headers().firstValue("etag").orElseThrow();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url(asset[0]))).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(304);
        }
        String page = http.send(HttpRequest.newBuilder(URI.create(url("/"))).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(page).contains("name=\"viewport\"", "href=\"/assets/status.css\"", "src=\"/assets/status.js\"")
                .doesNotContain("https://");
    }

    private String dumpDom(String url) throws Exception {
        return run(List.of("--dump-dom", url));
    }

    /** Runs chromium headless on its own profile; returns what it printed on stdout. */
    private String run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path out = tmp.resolve("chromium.out");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + command);
        }
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("chromium.err"))).isZero();
        return Files.readString(out);
    }

    static Optional<Path> findChromium() {
        String path = System.getenv().getOrDefault("PATH", "");
        try (Stream<String> dirs = Stream.of(path.split(":"))) {
            return dirs.filter(d -> !d.isEmpty())
                    .flatMap(d -> Stream.of("chromium", "chromium-browser").map(n -> Path.of(d, n)))
                    .filter(Files::isExecutable).findFirst();
        }
    }
}
