package org.gitopssync.cli;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import picocli.CommandLine.Model.CommandSpec;

/** {@code resume}: lift a suspension (by {@code suspend} or by drift); the next cycle deploys the branch head. */
class ResumeCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Deploy again after `gitops-sync suspend` or a drift: the next cycle deploys the branch head,"
                            + " replacing a system changed by hand.")
            .addOption(ConfigOption.spec());

    static CommandSpec spec() {
        return new ResumeCommand().spec;
    }

    @Override
    public Integer call() {
        Settings settings = new ConfigOption(spec).load().settings();
        SystemProfile profile = new SystemProfile(settings.deploy().profile(), settings.deploy().currentSystem());
        // no cycle lock: one transaction; the running system is accepted so the drift is not reported again
        try (StateStore store = StateStore.open(settings.stateDir())) {
            Optional<Suspension> lifted = new Suspensions(store).resume(profile.running().orElse(null), Instant.now());
            String branch = settings.repository().branch();
            spec.commandLine().getOut().println(lifted.map(s -> "resumed (suspended by " + s.suspendedBy() + " since "
                    + SuspendCommand.TIME.format(s.since()) + (s.reason() == null ? "" : ": " + s.reason())
                    + "); the next cycle deploys " + branch + "'s head")
                    .orElse("not suspended; nothing to resume"));
        }
        return ExitCodes.OK;
    }
}
