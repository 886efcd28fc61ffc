package org.gitopssync.secrets.install;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The units to restart and reload because their secrets are new or changed, in manifest order, each once;
 * a unit that is restarted is not also reloaded.
 */
public record UnitChanges(List<String> restart, List<String> reload) {

    public UnitChanges {
        restart = List.copyOf(restart);
        reload = List.copyOf(reload);
    }

    static UnitChanges none() {
        return new UnitChanges(List.of(), List.of());
    }

    static UnitChanges of(Collection<? extends ManifestItem> changed) {
        Set<String> restart = new LinkedHashSet<>();
        Set<String> reload = new LinkedHashSet<>();
        for (ManifestItem item : changed) {
            restart.addAll(item.restartUnits());
            reload.addAll(item.reloadUnits());
        }
        reload.removeAll(restart);
        return new UnitChanges(new ArrayList<>(restart), new ArrayList<>(reload));
    }

    public boolean isEmpty() {
        return restart.isEmpty() && reload.isEmpty();
    }

    /** "restart a.service, b.service; reload c.service", or "no units" */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!restart.isEmpty()) {
            parts.add("restart " + String.join(", ", restart));
        }
        if (!reload.isEmpty()) {
            parts.add("reload " + String.join(", ", reload));
        }
        return parts.isEmpty() ? "no units" : String.join("; ", parts);
    }
}
