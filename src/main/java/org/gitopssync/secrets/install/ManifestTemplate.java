package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@code [[templates]]} entry: text with secret placeholders, rendered to {@code <generation>/rendered/<name>}.
 *
 * @param content the inline text, or empty when it comes from {@code file}
 * @param file a path in the repository holding the text, or empty
 */
record ManifestTemplate(String name, Optional<String> content, Optional<String> file, Access access,
        Optional<Path> path, List<String> restartUnits, List<String> reloadUnits, int line) implements ManifestItem {

    static final String RENDERED_DIR = "rendered";

    ManifestTemplate {
        restartUnits = List.copyOf(restartUnits);
        reloadUnits = List.copyOf(reloadUnits);
    }

    @Override
    public String relativePath() {
        return RENDERED_DIR + "/" + name;
    }

    @Override
    public String label() {
        return "template \"" + name + "\"";
    }
}
