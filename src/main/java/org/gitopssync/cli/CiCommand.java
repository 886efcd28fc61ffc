package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.gitopssync.app.Agent;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.CiListener;
import org.gitopssync.ci.CiResult;
import org.gitopssync.ci.CiRun;
import org.gitopssync.config.Settings;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.state.CycleLock;
import org.jboss.logging.Logger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code ci [<ref>]}: evaluate and build a commit's checks and systems, deploying nothing. */
class CiCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(CiCommand.class);

    private final CommandSpec spec = CommandModel.command(this,
                    "Evaluate and build the checks and host systems of a branch, tag or commit; deploy nothing.",
                    "Fetches the ref, builds checks and ci.hosts in parallel. Exit 0 when everything built.")
            .addOption(ConfigOption.spec())
            .addPositional(PositionalParamSpec.builder().arity("0..1").paramLabel("REF").type(String.class)
                    .description("Branch, tag or commit of the configured repository (default: repository.branch).")
                    .build())
            .addOption(flag("--retry-failed").description("Forget cached build failures and build them again.").build())
            .addOption(flag("--json").description("Print the result as JSON (progress goes to stderr).").build());

    static CommandSpec spec() {
        return new CiCommand().spec;
    }

    @Override
    public Integer call() {
        String ref = spec.positionalParameters().get(0).getValue();
        boolean retryFailed = spec.findOption("--retry-failed").getValue();
        boolean json = spec.findOption("--json").getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progressOut = json ? spec.commandLine().getErr() : out;
        try (StopSignal stop = new StopSignal(); Agent agent = Agent.open(settings, System.getenv())) {
            LOG.debugf("ci: fetching %s", ref == null ? settings.repository().branch() : ref);
            // a process of its own that the fetch need not wait for
            CompletableFuture.runAsync(agent.ci()::prepare);
            FetchedCommit commit;
            String branch;
            String flakeRef;
            // the clone is shared with the cycles: fetch under their lock (building needs no lock)
            try (CycleLock ignored = CycleLock.acquire(settings.stateDir(), "ci")) {
                if (ref == null) {
                    commit = agent.source().fetch();
                    branch = settings.repository().branch();
                    flakeRef = agent.source().flakeRef(commit.sha());
                } else {
                    commit = agent.source().fetchForCi(ref);
                    branch = ref;
                    flakeRef = agent.source().flakeRef(GitSource.ciRef(ref), commit.sha());
                }
            }
            if (!json) {
                out.println("ci: " + branch + " at " + commit.shortSha() + " \"" + commit.subject() + "\"");
                out.flush();
            }
            CiRun run = CiRun.of(flakeRef, branch, commit.sha(), settings.ci()).retryingFailed(retryFailed);
            CiResult result;
            try (ProgressView view = System.console() != null ? ProgressView.live(progressOut)
                    : json ? null : ProgressView.plain(progressOut)) {
                result = agent.ci().run(run, stop.cancellation(), view == null ? CiListener.NONE : view);
            }
            if (json) {
                Json.print(out, result);
            } else {
                print(out, result);
            }
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static void print(PrintWriter out, CiResult result) {
        for (AttributeResult f : result.failures()) {
            out.println();
            out.println(f.describeFailure());
        }
        result.systems().forEach((host, path) -> out.println("system " + host + ": " + path));
        out.printf("ci run %d: %s in %.1fs (%d derivations built)%n", result.runId(), result.summary(),
                result.duration().toMillis() / 1000.0, result.derivationsBuilt());
    }
}
