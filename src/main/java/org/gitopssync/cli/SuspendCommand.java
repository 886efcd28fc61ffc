package org.gitopssync.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.gitopssync.config.Settings;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code suspend [--reason TEXT]}: keep fetching and reporting, deploy nothing until {@code resume}. */
class SuspendCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final CommandSpec spec = CommandModel.command(this,
                    "Stop deploying: cycles still fetch, build and report, but activate nothing and install no secrets"
                            + " until `gitops-sync resume`.")
            .addOption(ConfigOption.spec())
            .addOption(OptionSpec.builder("--reason").paramLabel("TEXT").type(String.class)
                    .description("Why, for `status` and whoever resumes.").build());

    static CommandSpec spec() {
        return new SuspendCommand().spec;
    }

    @Override
    public Integer call() {
        String reason = spec.findOption("--reason").getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        // no cycle lock: one SQLite row, which a cycle reads again right before secrets and activation
        try (StateStore store = StateStore.open(settings.stateDir())) {
            Suspension earlier = new Suspensions(store).current().orElse(null);
            Suspension s = new Suspension(Operator.describe(System.getenv()), Instant.now(), reason,
                    earlier == null ? null : earlier.expectedSystem(), earlier == null ? null : earlier.runningSystem());
            new Suspensions(store).suspend(s);
            spec.commandLine().getOut().println("suspended by " + s.suspendedBy() + " at " + TIME.format(s.since())
                    + (reason == null ? "" : ": " + reason)
                    + "; cycles still fetch, build and report, but deploy nothing until `gitops-sync resume`");
        }
        return ExitCodes.OK;
    }
}
