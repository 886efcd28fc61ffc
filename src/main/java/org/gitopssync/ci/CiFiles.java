package org.gitopssync.ci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.gitopssync.DirectoryTree;

/**
 * Where a run keeps its files: build logs under {@code logs/ci/<run>/} (one per attribute, one
 * per dependency under {@code deps/}) and garbage-collector roots under {@code gcroots/ci/<run>/}.
 */
final class CiFiles {

    private static final Logger LOG = Logger.getLogger(CiFiles.class);
    /** How much of a build log the failure report quotes from. */
    static final int TAIL_BYTES = 16 * 1024;

    private final Path logs;
    private final Path roots;

    CiFiles(Path stateDir) {
        this.logs = stateDir.resolve("logs").resolve("ci");
        this.roots = stateDir.resolve("gcroots").resolve("ci");
    }

    Path evalLog(long run) {
        return logs.resolve(String.valueOf(run)).resolve("eval.log");
    }

    Path attributeLog(long run, String attribute) {
        return logs.resolve(String.valueOf(run)).resolve(fileName(attribute) + ".log");
    }

    Path dependencyLog(long run, String drvPath) {
        return logs.resolve(String.valueOf(run)).resolve("deps").resolve(fileName(DerivationInfo.nameOf(drvPath)) + "-"
                + hashOf(drvPath) + ".log");
    }

    Path rootsDir(long run) {
        return roots.resolve(String.valueOf(run));
    }

    /** Drops a run's garbage-collector roots: its outputs may now be collected. */
    void releaseRoots(long run) {
        deleteTree(rootsDir(run));
    }

    /** Removes a run's build and evaluation logs. */
    void removeLogs(long run) {
        deleteTree(logs.resolve(String.valueOf(run)));
    }

    /** Drops the roots of all but the newest {@code keep} runs, so an agent that runs for months does not pin everything. */
    void releaseRootsExceptNewest(int keep) {
        if (!Files.isDirectory(roots)) {
            return;
        }
        try (Stream<Path> runs = Files.list(roots)) {
            List<Path> old = runs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingLong((Path p) -> Long.parseLong(p.getFileName().toString())).reversed())
                    .skip(keep).toList();
            old.forEach(CiFiles::deleteTree);
        } catch (IOException e) {
            LOG.warnf("cannot list %s to release old roots: %s", roots, e.getMessage());
        }
    }

    /** A file name for an attribute: what is not a safe character becomes '_'. */
    static String fileName(String attribute) {
        String s = attribute.replaceAll("[^A-Za-z0-9._+-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }

    private static String hashOf(String drvPath) {
        String base = drvPath.substring(drvPath.lastIndexOf('/') + 1);
        return base.length() > 8 ? base.substring(0, 8) : base;
    }

    private static void deleteTree(Path dir) {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
        }
    }
}
