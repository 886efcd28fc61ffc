package org.gitopssync.ci;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;

/** The runs in progress per branch, so a newer commit can cancel the build of an older one. */
final class RunningRuns {

    private record Entry(long runId, String commit, Cancellation cancellation) {
    }

    private final Map<String, List<Entry>> byBranch = new HashMap<>();

    /**
     * Registers a run; with {@code supersede}, runs of other commits on the same branch are
     * cancelled. Close the returned handle when the run ends.
     */
    synchronized AutoCloseable register(String branch, String commit, long runId, Cancellation cancellation,
            boolean supersede) {
        List<Entry> running = byBranch.computeIfAbsent(branch, b -> new ArrayList<>());
        if (supersede) {
            for (Entry e : running) {
                if (!e.commit().equals(commit)) {
                    e.cancellation().cancel("superseded by " + abbrev(commit) + " on " + branch + " (ci run " + runId + ")");
                }
            }
        }
        Entry mine = new Entry(runId, commit, cancellation);
        running.add(mine);
        return () -> unregister(branch, mine);
    }

    private synchronized void unregister(String branch, Entry entry) {
        List<Entry> running = byBranch.get(branch);
        if (running != null) {
            running.remove(entry);
            if (running.isEmpty()) {
                byBranch.remove(branch);
            }
        }
    }

    private static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
