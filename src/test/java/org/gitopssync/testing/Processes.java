package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Finding processes by a marker in their command line, and waiting for something to happen. */
public final class Processes {

    private Processes() {
    }

    /** Pids of live processes whose command line contains {@code marker}. */
    public static List<Long> withMarker(String marker) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(marker);
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to two minutes) for an event another process or thread causes; false if it never came. */
    public static boolean await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 2400 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
