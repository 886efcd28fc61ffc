package org.gitopssync.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

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
