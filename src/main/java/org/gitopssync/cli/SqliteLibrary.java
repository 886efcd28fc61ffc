package org.gitopssync.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Points sqlite-jdbc at the native library the package extracted, before anything opens the state store. */
final class SqliteLibrary {

    private SqliteLibrary() {
    }

    /**
     * sqlite-jdbc copies its native library to /tmp and deletes it again on every start, unless told where one is:
     * the package extracts it once (bin/sqlite-native) to {@code lib/native/} of the application directory. Its
     * start-up sweep of stale copies then lists that directory instead of /tmp, where it would also race other
     * processes' copies (and log their disappearance as an error).
     */
    static void useExtracted() {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            // <app>/app/gitops-sync-<version>.jar; under a test run, target/classes (no library there)
            Path appDirectory = Path.of(SqliteLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent().getParent();
            Path library = appDirectory.resolve("lib/native");
            Path file = library.resolve("libsqlitejdbc.so");
            // one this user cannot read would fail to load, and the fallback would then extract into lib/native
            if (Files.isRegularFile(file) && Files.isReadable(file)) {
                System.setProperty("org.sqlite.lib.path", library.toString());
                System.setProperty("org.sqlite.tmpdir", library.toString());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // sqlite-jdbc extracts its own copy, as it always did
        }
    }
}
