package org.gitopssync.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A release store in a directory (a shared file system, or one that a web server publishes). */
final class FileReleaseStore implements ReleaseStore {

    private final Path root;

    FileReleaseStore(Path root) {
        this.root = root;
    }

    @Override
    public Optional<String> read(String host, String commit) {
        return readFile(root.resolve(ReleaseRecord.location(host, commit)));
    }

    @Override
    public Optional<String> latest(String host) {
        return readFile(root.resolve(host).resolve("latest")).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public List<String> hosts() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("latest"))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new ReleaseException("cannot list the hosts of " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void publish(ReleaseRecord record) {
        write(root.resolve(record.location()), record.toJson());
        write(root.resolve(record.host()).resolve("latest"), record.commit() + "\n");
    }

    @Override
    public String describe(String host, String commit) {
        return root.resolve(ReleaseRecord.location(host, commit)).toString();
    }

    private static Optional<String> readFile(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ReleaseException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written beside and renamed, so a host never reads half a record. */
    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ReleaseException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
