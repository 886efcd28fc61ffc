package org.gitopssync.cli;

import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import org.gitopssync.app.Daemon;
import org.gitopssync.config.DaemonRequirements;
import org.gitopssync.config.Settings;
import picocli.CommandLine;

/** {@code daemon}: keep syncing on a schedule (and from webhooks) until stopped. */
@CommandLine.Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Keep syncing: a cycle every repository.poll_interval, and on webhooks, until SIGTERM.",
            "Each poll waits a random delay up to repository.randomized_delay; SIGTERM cancels a running build cleanly."})
class DaemonCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @Inject
    Daemon daemon;

    @Override
    public Integer call() {
        SqliteLibrary.useExtracted();
        Settings settings = config.load().settings();
        DaemonRequirements.check(settings);
        return daemon.run(settings, System.getenv());
    }
}
