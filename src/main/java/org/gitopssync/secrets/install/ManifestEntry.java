package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A {@code [[secrets]]} entry: one secret value installed as {@code <generation>/<name>}. */
record ManifestEntry(String name, SecretSource source, Access access, Optional<Path> path,
        List<String> restartUnits, List<String> reloadUnits, int line) implements ManifestItem {

    ManifestEntry {
        restartUnits = List.copyOf(restartUnits);
        reloadUnits = List.copyOf(reloadUnits);
    }

    @Override
    public String relativePath() {
        return name;
    }

    @Override
    public String label() {
        return "secret \"" + name + "\"";
    }
}
