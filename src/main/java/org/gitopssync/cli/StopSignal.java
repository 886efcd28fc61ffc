package org.gitopssync.cli;

import org.gitopssync.Cancellation;

/**
 * A cancellation that Ctrl-C or SIGTERM sets while a one-shot command runs, so its builds' process
 * trees are killed instead of orphaned.
 */
final class StopSignal implements AutoCloseable {

    private final Cancellation cancellation = new Cancellation();
    private final Thread hook = new Thread(() -> cancellation.cancel("the process is stopping"));

    StopSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyStopping) {
            // the JVM is shutting down; the hook has done its job
        }
    }
}
