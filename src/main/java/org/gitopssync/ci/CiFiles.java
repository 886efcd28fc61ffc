package org.gitopssync.ci;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    private static final int TAIL_BYTES = 16 * 1024;

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

    Path root(long run, String attribute) {
        return rootsDir(run).resolve(fileName(attribute));
    }

    /** Drops a run's garbage-collector roots: its outputs may now be collected. */
    void releaseRoots(long run) {
        deleteTree(rootsDir(run));
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

    /** The last {@code lines} lines of a log file; empty when it cannot be read. */
    static List<String> tail(Path file, int lines) {
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            List<String> all = Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\r?\n"));
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
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
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
        }
    }
}
