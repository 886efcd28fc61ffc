package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One file the manifest installs: a secret or a rendered template. */
sealed interface ManifestItem permits ManifestEntry, ManifestTemplate {

    String name();

    Access access();

    /** Where a symlink to the installed file goes, if anywhere. */
    Optional<Path> path();

    List<String> restartUnits();

    List<String> reloadUnits();

    /** The manifest line that declares it. */
    int line();

    /** The file's path inside a generation. */
    String relativePath();

    /** How messages name it: {@code secret "db/password"}. */
    String label();
}
