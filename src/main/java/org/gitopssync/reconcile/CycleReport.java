package org.gitopssync.reconcile;

import java.nio.file.Path;
import org.gitopssync.state.CycleOutcome;

/** What one cycle did, for the CLI, the daemon and the forge reporters. */
public record CycleReport(
        long cycleId,
        CycleOutcome outcome,
        Stage stage,
        String commit,
        String outPath,
        Integer generation,
        String summary,
        Path log) {

    public boolean failed() {
        return outcome.isFailure();
    }
}
