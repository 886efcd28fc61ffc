package org.gitopssync.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.config.HealthSettings;

/** One check of the health gate, in the order the gate runs them, named as an operator reads it. */
record HealthProbe(Kind kind, String name, List<String> argv) {

    /** What the probe checks. */
    enum Kind {
        /** A configured command must exit 0. */
        COMMAND,
        /** {@code systemctl is-active <unit>} must say active. */
        UNIT,
        /** {@code systemctl list-units --failed} must not name a unit that was not failed before activation. */
        NO_NEW_FAILED_UNITS,
        /** The repository still answers ls-remote. */
        GIT_REACHABLE
    }

    HealthProbe {
        argv = List.copyOf(argv);
    }

    static List<HealthProbe> of(HealthSettings settings) {
        List<HealthProbe> out = new ArrayList<>();
        for (List<String> argv : settings.commands()) {
            List<String> shown = new ArrayList<>(argv);
            shown.set(0, Path.of(argv.get(0)).getFileName().toString());
            out.add(new HealthProbe(Kind.COMMAND, "command `" + String.join(" ", shown) + "`", argv));
        }
        for (String unit : settings.units()) {
            out.add(new HealthProbe(Kind.UNIT, "unit " + unit, List.of(unit)));
        }
        if (settings.noNewFailedUnits()) {
            out.add(new HealthProbe(Kind.NO_NEW_FAILED_UNITS, "no new failed units", List.of()));
        }
        if (settings.gitReachable()) {
            out.add(new HealthProbe(Kind.GIT_REACHABLE, "git reachable", List.of()));
        }
        return List.copyOf(out);
    }
}
