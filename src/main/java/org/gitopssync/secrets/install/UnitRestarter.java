package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.NixException;
import org.jboss.logging.Logger;

/**
 * Restarts and reloads the units whose secrets changed, after a successful activation, the sops-nix way:
 * {@code systemctl try-restart} (only units that are running) and {@code systemctl try-reload-or-restart}.
 */
final class UnitRestarter {

    private static final Logger LOG = Logger.getLogger(UnitRestarter.class);

    private final CommandRunner runner;
    private final List<String> command;
    private final Duration timeout;

    UnitRestarter(CommandRunner runner, List<String> command, Duration timeout) {
        this.runner = runner;
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    /** Runs the commands; returns what happened for the cycle summary. A failure is reported, never thrown. */
    String apply(UnitChanges changes, Path log) {
        if (changes.isEmpty()) {
            return "";
        }
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        run("try-restart", changes.restart(), log, done, failed, "restarted ");
        run("try-reload-or-restart", changes.reload(), log, done, failed, "reloaded ");
        String text = String.join("; ", done);
        if (!failed.isEmpty()) {
            text = (text.isEmpty() ? "" : text + "; ") + String.join("; ", failed);
        }
        return text;
    }

    private void run(String verb, List<String> units, Path log, List<String> done, List<String> failed, String word) {
        if (units.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(command);
        argv.add(verb);
        argv.addAll(units);
        Command cmd = Command.of(argv).withTimeout(timeout);
        if (log != null) {
            cmd = cmd.loggingTo(log);
        }
        try {
            CommandResult result = runner.run(cmd, Cancellation.none());
            if (result.succeeded()) {
                done.add(word + String.join(", ", units));
            } else {
                LOG.warnf("secrets: %s %s failed: %s", verb, String.join(" ", units), result.failureSummary());
                failed.add(verb + " " + String.join(", ", units) + " failed: " + result.failureSummary());
            }
        } catch (NixException e) {
            LOG.warnf("secrets: %s %s failed: %s", verb, String.join(" ", units), e.getMessage());
            failed.add(verb + " " + String.join(", ", units) + " failed: " + e.getMessage());
        }
    }
}
