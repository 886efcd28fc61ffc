package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.util.concurrent.Callable;
import org.gitopssync.app.Agent;
import org.gitopssync.metrics.MetricsTextfile;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.Quarantines;
import picocli.CommandLine.Model.CommandSpec;

/** {@code retry}: lift the quarantine of rolled-back commits and cached build failures, then run one cycle. */
class RetryCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Try the branch head again after a health-gate rollback or a failed build, then run one cycle.",
                    "Lifts every quarantine (listed by `status`) and rebuilds the commit's cached build failures, as"
                            + " `sync --force` does.")
            .addOption(ConfigOption.spec())
            .addOption(flag("--json").description("Print the cycle's report as JSON.").build());

    static CommandSpec spec() {
        return new RetryCommand().spec;
    }

    @Override
    public Integer call() {
        boolean json = spec.findOption("--json").getValue();
        try (StopSignal stop = new StopSignal();
             Agent agent = Agent.open(new ConfigOption(spec).load().settings(), System.getenv())) {
            if (!json) {
                for (Quarantine q : new Quarantines(agent.store()).all()) {
                    spec.commandLine().getOut().println("lifting the quarantine of " + q.commit() + " (rolled back in"
                            + " cycle #" + q.cycleId() + " because " + q.probe() + " failed)");
                }
            }
            CycleReport report = agent.reconciler().retry(Trigger.MANUAL, stop.cancellation());
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
