package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.util.concurrent.Callable;
import org.gitopssync.app.Agent;
import org.gitopssync.metrics.MetricsTextfile;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sync} (also spelled {@code sync --once}): one reconcile cycle, what the systemd timer runs. */
class SyncCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Run one reconcile cycle and exit: fetch the branch, build this host's system, activate it.",
                    "`sync` and `sync --once` are the same; `gitops-sync daemon` keeps syncing.")
            .addOption(ConfigOption.spec())
            // accepted for the systemd units and scripts that spell it out: sync always runs exactly one cycle
            .addOption(flag("--once")
                    .description("Run exactly one cycle and exit (the default; what the systemd timer runs).").build())
            .addOption(flag("--dry-run")
                    .description("Fetch and build, but activate nothing and record nothing as handled.").build())
            .addOption(flag("--force").description("Run even if the branch has not moved since the last cycle, and"
                    + " build again what failed before (cached build failures of this commit are not skipped).").build())
            .addOption(flag("--json").description("Print the cycle's report as JSON.").build());

    static CommandSpec spec() {
        return new SyncCommand().spec;
    }

    @Override
    public Integer call() {
        boolean dryRun = spec.findOption("--dry-run").getValue();
        boolean force = spec.findOption("--force").getValue();
        boolean json = spec.findOption("--json").getValue();
        Trigger trigger = System.getenv("INVOCATION_ID") != null ? Trigger.TIMER : Trigger.MANUAL;
        try (StopSignal stop = new StopSignal();
             Agent agent = Agent.open(new ConfigOption(spec).load().settings(), System.getenv())) {
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
