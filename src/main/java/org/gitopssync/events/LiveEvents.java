package org.gitopssync.events;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.CiResult;
import org.gitopssync.ci.CiStatus;
import org.gitopssync.reconcile.CycleObserver;
import org.gitopssync.reconcile.CycleReport;

/**
 * Turns a cycle's progress into the live events of {@code /api/events}: cycle-started, stage-entered,
 * attribute-built, cycle-finished. Only ids, words and times: never a secret, an env value or a log line.
 */
public final class LiveEvents implements CycleObserver {

    private final EventJournal journal;
    private final Clock clock;
    private final Map<Long, Long> startedAt = new ConcurrentHashMap<>();

    public LiveEvents(EventJournal journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    public EventJournal journal() {
        return journal;
    }

    @Override
    public void cycleStarted(long cycleId, String trigger) {
        long at = clock.millis();
        startedAt.put(cycleId, at);
        Map<String, Object> data = fields(cycleId, null);
        data.put("trigger", trigger);
        publish("cycle-started", data, at);
    }

    @Override
    public void stageEntered(long cycleId, String commit, String stage) {
        Map<String, Object> data = fields(cycleId, commit);
        data.put("stage", stage);
        publish("stage-entered", data, clock.millis());
    }

    @Override
    public void built(long cycleId, String commit, CiResult result) {
        for (AttributeResult a : result.attributes()) {
            if (a.status() == CiStatus.CANCELLED) {
                continue;
            }
            Map<String, Object> data = fields(cycleId, commit);
            data.put("attribute", a.attribute());
            data.put("status", a.status().succeeded() ? a.status().word() : "failed");
            publish("attribute-built", data, clock.millis());
        }
    }

    @Override
    public void finished(CycleReport report) {
        long at = clock.millis();
        Long started = startedAt.remove(report.cycleId());
        Map<String, Object> data = fields(report.cycleId(), report.commit());
        data.put("outcome", report.outcome().word());
        data.put("stage", report.failed() ? report.stage().word() : null);
        data.put("durationMs", started == null ? null : Math.max(0, at - started));
        publish("cycle-finished", data, at);
    }

    private static Map<String, Object> fields(long cycleId, String commit) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cycle", cycleId);
        data.put("commit", commit);
        return data;
    }

    private void publish(String type, Map<String, Object> data, long at) {
        data.put("at", at);
        journal.publish(type, OneLineJson.object(data));
    }
}
