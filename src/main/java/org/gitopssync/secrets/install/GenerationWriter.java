package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import org.gitopssync.secrets.SecretsException;

/**
 * Writes the files of a generation directory. A file is created readable by root alone, filled, given its
 * declared mode, then its owner, and renamed into place: at no moment can anyone else read more than the
 * manifest grants.
 */
final class GenerationWriter {

    private final ResolvedAccess directories;

    GenerationWriter(ResolvedAccess directories) {
        this.directories = directories;
    }

    /** A directory with the secrets directories' mode and owner (0751 root:keys); parents are created too. */
    void directory(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
                    Files.createDirectories(dir.getParent());
                }
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ResolvedAccess.permissions(0700)));
            }
            apply(dir, directories);
        } catch (IOException e) {
            throw new SecretsException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code generation/relative}, creating its subdirectories like {@link #directory}. */
    void file(Path generation, String relative, byte[] content, ResolvedAccess access, String what) {
        Path target = generation.resolve(relative);
        Path parent = generation.relativize(target).getParent();
        if (parent != null && !Files.isDirectory(generation.resolve(parent))) {
            subdirectories(generation, parent);
        }
        Path temp = target.resolveSibling("." + target.getFileName() + ".gitops-tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(ResolvedAccess.permissions(0600)))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            apply(temp, access);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the whole generation is removed on failure anyway
            }
            throw new SecretsException(what + ": cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The list of {@code path} links ({@code /link<TAB>relative} lines), readable by root only. */
    void links(Path generation, Map<Path, String> links) {
        StringBuilder text = new StringBuilder();
        links.forEach((link, relative) -> text.append(link).append('\t').append(relative).append('\n'));
        file(generation, SecretName.LINKS_FILE, text.toString().getBytes(StandardCharsets.UTF_8),
                new ResolvedAccess(directories.owner(), directories.group(), 0600), "the link list");
    }

    /** The hash of the manifest the generation was written for, readable by root only. */
    void fingerprint(Path generation, String manifestHash) {
        file(generation, SecretName.FINGERPRINT_FILE, (manifestHash + "\n").getBytes(StandardCharsets.UTF_8),
                new ResolvedAccess(directories.owner(), directories.group(), 0600), "the manifest fingerprint");
    }

    private void subdirectories(Path generation, Path relativeDir) {
        Path current = generation;
        for (Path part : relativeDir) {
            current = current.resolve(part.toString());
            directory(current);
        }
    }

    /** Mode first, then owner: until the chown, the owner is root, so the mode never grants more than declared. */
    private static void apply(Path path, ResolvedAccess access) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setPermissions(access.permissions());
        view.setOwner(access.owner());
        view.setGroup(access.group());
    }
}
