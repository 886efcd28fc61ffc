package org.gitopssync.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Makes cycles exclusive per state directory across processes (timer, daemon, manual runs).
 * The OS releases the lock when the holder dies, so a crash never leaves a stale lock behind.
 */
public final class CycleLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private CycleLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link LockHeldException} naming the holder's pid. */
    public static CycleLock acquire(Path stateDir, String purpose) {
        Path file = stateDir.resolve("cycle.lock");
        FileChannel channel;
        try {
            if (!Files.isDirectory(stateDir)) {
                // creating an existing directory costs a failed mkdir and an exception on every cycle
                Files.createDirectories(stateDir);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StateException("cannot open lock file " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new StateException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = readHolder(file);
            close(channel);
            throw new LockHeldException(file.toString(), holder);
        }
        try {
            // not forced to disk: the lock is the OS's and dies with the holder, so after a power cut the note is moot
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + purpose + " since "
                    + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // the lock itself is what matters; the holder note is a courtesy
        }
        return new CycleLock(channel, lock);
    }

    /**
     * Blocks until no process holds the lock (the OS wakes us when the holder releases it or dies),
     * then returns without keeping it. Throws {@link InterruptedException} when interrupted.
     * This process must not hold the lock itself.
     */
    public static void awaitFree(Path stateDir) throws InterruptedException {
        Path file = stateDir.resolve("cycle.lock");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.lock().release();
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            throw new InterruptedException("stopped waiting for " + file);
        } catch (IOException | OverlappingFileLockException e) {
            throw new StateException("cannot wait for the lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readHolder(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases the lock anyway
        }
        close(channel);
    }

    private static void close(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
