package org.gitopssync.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code [metrics] textfile}: the families written for node-exporter's textfile collector after a
 * one-shot cycle, replaced atomically so a scrape never reads half a file.
 */
public final class MetricsTextfile {

    private static final Logger LOG = Logger.getLogger(MetricsTextfile.class);

    private MetricsTextfile() {
    }

    /** Writes the metrics if a textfile is configured; a failure is a warning, never the cycle's outcome. */
    public static void publish(Optional<Path> textfile, AgentMetrics metrics) {
        publish(textfile, () -> metrics);
    }

    /** Like {@link #publish(Optional, AgentMetrics)}, asking for the metrics only when there is a textfile. */
    public static void publish(Optional<Path> textfile, Supplier<AgentMetrics> metrics) {
        textfile.ifPresent(file -> {
            try {
                write(file, metrics.get().scrape());
                LOG.debugf("metrics: wrote %s", file);
            } catch (MetricsException e) {
                LOG.warn(e.getMessage());
            }
        });
    }

    /** Writes a temporary file next to the target (not named *.prom, so the collector skips it), then renames it. */
    static void write(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            Files.writeString(tmp, text);
            // node-exporter runs as its own user; the file holds no secret (commit ids and counts)
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new MetricsException("metrics textfile " + file + ": cannot write it (" + describe(e)
                    + "); check that " + dir + " exists and the agent may write there", e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the rename failed already; a stray temporary file is not worth a second warning
            }
        }
    }
}
