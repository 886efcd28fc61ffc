package org.gitopssync.cli;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.gitopssync.app.Daemon;
import org.gitopssync.config.DaemonRequirements;
import org.gitopssync.config.Settings;
import picocli.CommandLine.Model.CommandSpec;

/** {@code daemon}: keep syncing on a schedule (and from webhooks) until stopped. */
class DaemonCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Keep syncing: a cycle every repository.poll_interval, and on webhooks, until SIGTERM.",
                    "Each poll waits a random delay up to repository.randomized_delay; SIGTERM cancels a running build"
                            + " cleanly.")
            .addOption(ConfigOption.spec());

    /** The container's bean, asked for only when the daemon runs. */
    private final Supplier<Daemon> daemon;

    private DaemonCommand(Supplier<Daemon> daemon) {
        this.daemon = daemon;
    }

    static CommandSpec spec(Supplier<Daemon> daemon) {
        return new DaemonCommand(daemon).spec;
    }

    @Override
    public Integer call() {
        SqliteLibrary.useExtracted();
        Settings settings = new ConfigOption(spec).load().settings();
        DaemonRequirements.check(settings);
        return daemon.get().run(settings, System.getenv());
    }
}
