package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNarinfoProbeTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static List<StorePath> closure;

    @BeforeAll
    static void buildPaths() {
        // top, middle, base: each refers to the next
        closure = TestStore.build(shared.resolve("build"), 0).stream()
                .map(p -> StorePath.parse(p, StorePath.DEFAULT_STORE_DIR)).toList();
    }

    @Test
    void oneListingSplitsThePathsIntoPresentAndMissingInOrder() {
        Path cache = tmp.resolve("cache");
        TestStore.run("nix", "copy", "--to", "file://" + cache, closure.get(2).path());

        NarinfoProbe.Presence presence = new FileNarinfoProbe(cache).check(closure, Cancellation.none());

        assertThat(presence.present()).containsExactly(closure.get(2));
        assertThat(presence.missing()).containsExactly(closure.get(0), closure.get(1));
    }

    @Test
    void aCacheDirectoryThatDoesNotExistYetLacksEverything() {
        NarinfoProbe.Presence presence = new FileNarinfoProbe(tmp.resolve("none")).check(closure, Cancellation.none());

        assertThat(presence.present()).isEmpty();
        assertThat(presence.missing()).containsExactlyElementsOf(closure);
    }

    @Test
    void aNarinfoWhoseNarWasDeletedStillCountsAsPresentAsItDoesForNix() throws IOException {
        Path cache = tmp.resolve("cache");
        TestStore.run("nix", "copy", "--to", "file://" + cache, closure.get(2).path());
        try (Stream<Path> nars = Files.list(cache.resolve("nar"))) {
            for (Path nar : nars.toList()) {
                Files.delete(nar);
            }
        }

        NarinfoProbe.Presence presence = new FileNarinfoProbe(cache).check(closure, Cancellation.none());

        assertThat(presence.present()).containsExactly(closure.get(2));
        // nix takes the same narinfo as its word that the cache has the path
        assertThat(TestStore.exitCode("nix", "path-info", "--store", "file://" + cache, closure.get(2).path())).isZero();
        assertThat(presence.missing()).containsExactly(closure.get(0), closure.get(1));
    }
}
