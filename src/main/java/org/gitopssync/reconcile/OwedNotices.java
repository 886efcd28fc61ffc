package org.gitopssync.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gitopssync.config.HostEvent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * What a finished cycle's observers must hear (its report and events), stored with the cycle's outcome and
 * settled once they heard it. A process killed in between leaves it owed; the next cycle tells them again, so
 * the final forge statuses of a recorded cycle are always queued.
 */
final class OwedNotices {

    private static final Logger LOG = Logger.getLogger(OwedNotices.class);
    /** Loaded on the first notice or replay, not by every cycle that owes nothing. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** The stored form of a report and its events: plain values, so a later build can read it. */
    record Notice(String outcome, String stage, String commit, String outPath, Integer generation, String summary,
            String log, List<Event> events, Boolean buildOpen) {
    }

    /** The stored form of a {@link CycleEvent}. */
    record Event(String event, String commit, Integer generation, String system, String error) {
    }

    private final StateStore store;

    OwedNotices(StateStore store) {
        this.store = store;
    }

    /**
     * The notice of a report and the events observers hear after it, as {@link StateStore#finishCycle} stores it;
     * {@code buildOpen}: the cycle's start was announced and its build result was not (see {@link CycleState#buildOpen}).
     */
    static String notice(CycleReport report, List<CycleEvent> events, boolean buildOpen) {
        if (report.outcome() == CycleOutcome.UNCHANGED && events.isEmpty()) {
            // nothing changed and nothing happened: the next poll says the same, so nothing can be owed
            return null;
        }
        Notice n = new Notice(report.outcome().word(), report.stage().word(), report.commit(), report.outPath(),
                report.generation(), report.summary(), report.log() == null ? null : report.log().toString(),
                events.stream().map(e -> new Event(e.event().word(), e.commit(), e.generation(), e.system(), e.error()))
                        .toList(), buildOpen);
        try {
            return Json.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the notice of cycle " + report.cycleId(), e);
        }
    }

    /** The observers heard the cycle's report and events. */
    void settle(long cycleId) {
        store.settleNotice(cycleId);
    }

    /**
     * Tells the observers what cycles recorded by a process that stopped before telling them ended with, oldest
     * first, then settles each. Observers must take a repeat: the process may have told some of them already.
     */
    void tellOwed(CycleObserver observer) {
        for (Map.Entry<Long, String> owed : store.owedNotices().entrySet()) {
            long id = owed.getKey();
            Notice n;
            try {
                n = Json.MAPPER.readValue(owed.getValue(), Notice.class);
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warnf("cycle %d: its stored outcome cannot be read (%s); not reported again", id, e.getMessage());
                settle(id);
                continue;
            }
            LOG.infof("cycle %d: reporting its outcome again (%s): the agent stopped before reporting it", id,
                    n.outcome());
            CycleReport report = new CycleReport(id, CycleOutcome.fromWord(n.outcome()),
                    Stage.valueOf(n.stage().toUpperCase(Locale.ROOT)), n.commit(), n.outPath(), n.generation(),
                    n.summary(), n.log() == null ? null : Path.of(n.log()));
            if (Boolean.TRUE.equals(n.buildOpen()) && n.commit() != null) {
                // the dead process announced the start: the observers close what it left pending as they did live
                observer.started(id, n.commit());
            }
            Reconciler.tell(observer, report, n.events().stream().flatMap(e -> HostEvent.fromWord(e.event()).stream()
                    .map(h -> new CycleEvent(h, id, e.commit(), e.generation(), e.system(), e.error()))).toList());
            settle(id);
        }
    }
}
