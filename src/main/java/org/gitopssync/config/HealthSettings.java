package org.gitopssync.config;

import java.time.Duration;
import java.util.List;

/** {@code [deploy.health]}: the probes a switched-to system must pass before it becomes the boot default. */
public record HealthSettings(
        List<List<String>> commands,
        List<String> units,
        boolean noNewFailedUnits,
        boolean gitReachable,
        Duration settle,
        Duration timeout) {

    public HealthSettings {
        commands = List.copyOf(commands);
        units = List.copyOf(units);
    }

    /** No probe: {@code switch} activates in one step, as without a gate. */
    public static HealthSettings none() {
        return new HealthSettings(List.of(), List.of(), false, false, Duration.ZERO, Duration.ofMinutes(2));
    }

    /** Whether any probe is configured, which turns {@code switch} into test, probe, then boot or revert. */
    public boolean enabled() {
        return !commands.isEmpty() || !units.isEmpty() || noNewFailedUnits || gitReachable;
    }

    static HealthSettings from(ConfigSection s) {
        HealthSettings h = new HealthSettings(
                s.commandLists("commands"),
                s.strings("units", List.of()),
                s.bool("no_new_failed_units", false),
                s.bool("git_reachable", false),
                s.duration("settle", Duration.ofSeconds(10)),
                s.duration("timeout", Duration.ofMinutes(2)));
        if (h.timeout().isZero() || h.timeout().isNegative()) {
            throw s.error("timeout", "must be longer than 0s: the probes need time to run");
        }
        for (String unit : h.units()) {
            if (unit.isBlank() || unit.startsWith("-")) {
                throw s.error("units", "\"" + unit + "\" is not a unit name, e.g. \"nginx.service\"");
            }
        }
        return h;
    }
}
