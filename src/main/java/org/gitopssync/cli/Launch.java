package org.gitopssync.cli;

import java.util.concurrent.CountDownLatch;
import org.gitopssync.app.Daemon;

/**
 * The entry point of every command but {@code daemon}: the same picocli command line as the Quarkus entry point, without
 * starting the Quarkus container, which only the daemon uses (its shutdown event stops the schedule). A no-op
 * {@code sync --once} is most of what a timer-driven host runs, so its start time is the JVM's plus the cycle's.
 * The launchers (bin/gitops-sync, nix/package.nix) start {@code daemon} from {@code quarkus-run.jar} and everything
 * else here.
 */
public final class Launch {

    private Launch() {
    }

    /** Runs one command and exits with its code. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("daemon")) {
            System.err.println("gitops-sync: the daemon starts from quarkus-run.jar (bin/gitops-sync and the Nix package"
                    + " do this); this entry point runs the other commands");
            System.exit(ExitCodes.USAGE);
        }
        // picocli's default factory otherwise asks for Groovy's Closure class, which no jar has: a search of every jar
        // on the class path, ~10 ms of each start; no command is written in Groovy
        System.setProperty("picocli.disable.closures", "true");
        Preload.start();
        // before anything logs
        ConsoleLog.install();
        SqliteLibrary.useExtracted();
        System.exit(run(args));
    }

    /**
     * Runs the command; on SIGTERM or Ctrl-C the JVM waits for it to finish, as under Quarkus, so a cancelled cycle
     * (see {@link StopSignal}) is still recorded before the process ends.
     */
    private static int run(String[] args) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread waitForCommand = new Thread(() -> {
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gitops-sync-stopping");
        Runtime.getRuntime().addShutdownHook(waitForCommand);
        try {
            return CommandLineSetup.create(args.length > 0 ? args[0] : null, Launch::noDaemon).execute(args);
        } finally {
            finished.countDown();
        }
    }

    /** {@code daemon} is refused above: its container, which provides the {@link Daemon}, is not started here. */
    private static Daemon noDaemon() {
        throw new IllegalStateException("the daemon starts from quarkus-run.jar");
    }
}
