package org.gitopssync.reconcile;

import java.util.Optional;
import org.gitopssync.config.HostEvent;
import org.gitopssync.state.CycleOutcome;

/**
 * Something a cycle tells hooks and forges about: the event, the commit and system it concerns,
 * the profile generation, and for failures the error. Empty strings, never null, for what is unknown.
 */
public record CycleEvent(HostEvent event, long cycleId, String commit, Integer generation, String system,
        String error) {

    public CycleEvent {
        commit = commit == null ? "" : commit;
        system = system == null ? "" : system;
        error = error == null ? "" : error;
    }

    /**
     * The event a cycle's outcome is, if any. Outcomes that tell nothing new (unchanged, up to date,
     * built, suspended, cancelled) are none.
     */
    public static Optional<CycleEvent> of(CycleReport report) {
        Optional<HostEvent> event = switch (report.outcome()) {
            case DEPLOYED -> Optional.of(HostEvent.DEPLOYED);
            case FAILED -> Optional.of(HostEvent.FAILED);
            case REFUSED -> Optional.of(HostEvent.REFUSED);
            default -> Optional.empty();
        };
        return event.map(e -> new CycleEvent(e, report.cycleId(), report.commit(), report.generation(),
                report.outPath(), report.outcome() == CycleOutcome.DEPLOYED ? "" : report.summary()));
    }
}
