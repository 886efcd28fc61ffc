package org.gitopssync.cli;

import java.util.concurrent.Callable;
import org.gitopssync.app.Agent;
import org.gitopssync.metrics.MetricsTextfile;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import picocli.CommandLine;

/** {@code sync} (also spelled {@code sync --once}): one reconcile cycle, what the systemd timer runs. */
@CommandLine.Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Run one reconcile cycle and exit: fetch the branch, build this host's system, activate it.",
            "`sync` and `sync --once` are the same; `gitops-sync daemon` keeps syncing."})
class SyncCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    /** Accepted for the systemd units and scripts that spell it out: sync always runs exactly one cycle. */
    @CommandLine.Option(names = "--once", description = "Run exactly one cycle and exit (the default; what the systemd timer runs).")
    boolean once;

    @CommandLine.Option(names = "--dry-run", description = "Fetch and build, but activate nothing and record nothing as handled.")
    boolean dryRun;

    @CommandLine.Option(names = "--force", description = "Run even if the branch has not moved since the last cycle, and build again what failed"
            + " before (cached build failures of this commit are not skipped).")
    boolean force;

    @CommandLine.Option(names = "--json", description = "Print the cycle's report as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Trigger trigger = System.getenv("INVOCATION_ID") != null ? Trigger.TIMER : Trigger.MANUAL;
        try (StopSignal stop = new StopSignal(); Agent agent = Agent.open(config.load().settings(), System.getenv())) {
            CycleReport report = agent.reconciler().run(new CycleRequest(trigger, dryRun, force), stop.cancellation());
            // statuses first (bounded wait), so the textfile counts this cycle's deliveries
            agent.forges().close();
            MetricsTextfile.publish(agent.settings().metrics().textfile(), agent::metrics);
            if (json) {
                Json.print(spec.commandLine().getOut(), report);
            } else {
                spec.commandLine().getOut().println(report.outcome().word() + ": " + report.summary());
            }
            return report.failed() ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }
}
