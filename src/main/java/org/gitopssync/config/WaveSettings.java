package org.gitopssync.config;

import java.time.Duration;
import java.util.List;

/**
 * The wave keys of {@code [fleet]}: {@code after} (the hosts that must have deployed a commit
 * first, as the forge's {@code gitops-sync/deploy/<host>} statuses show) and {@code soak} (how long
 * their success must have stood). No {@code after}: this host deploys as soon as it can.
 */
public record WaveSettings(List<String> after, Duration soak) {

    public WaveSettings {
        after = List.copyOf(after);
    }

    /** Whether this host waits for others before deploying a commit. */
    public boolean gated() {
        return !after.isEmpty();
    }

    static WaveSettings from(ConfigSection s) {
        List<String> after = s.strings("after", List.of());
        for (String h : after) {
            if (!h.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                throw s.error("after", "\"" + h + "\" is not a host name");
            }
        }
        if (after.stream().distinct().count() != after.size()) {
            throw s.error("after", "lists a host twice");
        }
        Duration soak = s.duration("soak", Duration.ZERO);
        if (after.isEmpty() && s.has("soak")) {
            throw s.error("soak", "only means something with fleet.after (the hosts whose deploy must have soaked)");
        }
        return new WaveSettings(after, soak);
    }
}
