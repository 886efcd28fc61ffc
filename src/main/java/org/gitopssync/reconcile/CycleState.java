package org.gitopssync.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.gitopssync.Cancellation;
import org.gitopssync.config.HostEvent;
import org.gitopssync.secrets.install.SecretsUpdate;
import org.gitopssync.state.CycleOutcome;
import org.jboss.logging.Logger;

/**
 * The identity and mutable progress of one cycle (stage, commit, events), handed to each stage on the thread
 * running it; what a stage produces is its return value.
 */
final class CycleState {

    private static final Logger LOG = Logger.getLogger(CycleState.class);

    final long id;
    final Path log;
    final CycleRequest request;
    final Cancellation cancellation;
    Stage stage = Stage.LOCK;
    // what a report needs even when a later stage throws; stage results travel as return values
    String commit;
    String outPath;
    Integer generation;
    /** Kept here, not returned: the cycle discards a generation that never went live, however it ends. */
    SecretsUpdate secrets = SecretsUpdate.none("");
    /** Observers heard the build's result: the eval and build statuses posted pending at the start are final. */
    boolean buildReported;

    /** Host events met on the way (drift, reboot needed), delivered to observers once the cycle is recorded. */
    final List<CycleEvent> events = new ArrayList<>();

    private final BiConsumer<Stage, String> stageRecord;

    CycleState(long id, Path log, CycleRequest request, Cancellation cancellation,
            BiConsumer<Stage, String> stageRecord) {
        this.id = id;
        this.log = log;
        this.request = request;
        this.cancellation = cancellation;
        this.stageRecord = stageRecord;
    }

    /**
     * Enters a stage, recorded durably first (a cycle whose process dies is closed with that stage), with the
     * commit chosen so far.
     */
    void enter(Stage next) {
        stageRecord.accept(next, commit);
        stage = next;
        LOG.debugf("cycle %d: entering %s", id, next.word());
    }

    /**
     * The observers were told this cycle started on its commit (which happens just before secrets) and have not
     * heard a build result: its eval and build statuses are still pending.
     */
    boolean buildOpen() {
        return commit != null && stage.compareTo(Stage.SECRETS) >= 0 && !buildReported;
    }

    void checkCancelled() {
        if (cancellation.isCancelled()) {
            throw new CycleCancelledException(cancellation.reason());
        }
    }

    /** Records a host event of this cycle about {@code system}; hooks hear of it after the cycle ends. */
    void emit(HostEvent event, String system, String error) {
        events.add(new CycleEvent(event, id, commit, generation, system, error));
    }

    CycleReport report(CycleOutcome outcome, String summary) {
        return new CycleReport(id, outcome, stage, commit, outPath, generation, summary, log);
    }
}
