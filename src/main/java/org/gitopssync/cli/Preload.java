package org.gitopssync.cli;

import java.time.ZoneId;
import java.util.Calendar;
import org.eclipse.jgit.internal.JGitText;

/**
 * Loads, on the second core while the command line and the configuration are read, the JDK data a no-op cycle
 * would otherwise load in turn on the main thread: the locale data behind {@link Calendar} (sqlite-jdbc builds a
 * date formatter on every connection), the time zone (JGit's ls-remote asks for it) and JGit's message bundle (its
 * shutdown hook loads it). Each is loaded once per JVM and safely from any thread; this only moves when. None of them
 * logs, so it may start before {@link ConsoleLog} has chosen where slf4j and jboss-logging write.
 */
final class Preload {

    private Preload() {
    }

    /** Starts the loading; a daemon thread, so it never holds back the JVM's exit. */
    static Thread start() {
        Thread t = new Thread(() -> {
            try {
                Calendar.getInstance();
                ZoneId.systemDefault();
                JGitText.get();
            } catch (RuntimeException e) {
                // the main thread meets the same failure where it needs the data, with its own context
            }
        }, "gitops-sync-preload");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
