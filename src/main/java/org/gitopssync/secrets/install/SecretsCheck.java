package org.gitopssync.secrets.install;

import java.util.List;
import java.util.Optional;

/**
 * Whether every secret and template of a manifest opens with this host's keys, and which units would be
 * restarted or reloaded if it were installed now.
 *
 * @param manifest the manifest path, or a note when there is none
 * @param found whether the commit has a manifest at all
 */
public record SecretsCheck(String manifest, boolean found, List<Item> items, UnitChanges wouldChange) {

    /** One secret or template: its label, where its value comes from, and the error if it did not open. */
    public record Item(String label, String source, Optional<String> error) {
        public boolean ok() {
            return error.isEmpty();
        }
    }

    public SecretsCheck {
        items = List.copyOf(items);
    }

    static SecretsCheck noManifest(String manifest) {
        return new SecretsCheck(manifest, false, List.of(), UnitChanges.none());
    }

    public boolean ok() {
        return items.stream().allMatch(Item::ok);
    }

    public List<Item> failures() {
        return items.stream().filter(i -> !i.ok()).toList();
    }

    /** One line: "3 secrets open; would restart a.service" or the first failures. */
    public String summary() {
        if (!found) {
            return "no manifest (" + manifest + ")";
        }
        if (!ok()) {
            List<Item> failed = failures();
            return failed.size() + " of " + items.size() + " do not open: " + failed.get(0).error().orElseThrow()
                    + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : "");
        }
        return items.size() + " secrets and templates open; " + (wouldChange.isEmpty()
                ? "no units would be restarted" : "would " + wouldChange.describe());
    }
}
