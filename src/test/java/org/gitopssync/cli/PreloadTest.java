package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreloadTest {

    @Test
    void thePreloadNeverHoldsBackTheExitOfACommandAndEnds() throws InterruptedException {
        Thread t = Preload.start();
        // a non-daemon thread would keep a one-shot command's JVM alive after its work is done
        assertThat(t.isDaemon()).isTrue();
        t.join();
        assertThat(t.isAlive()).isFalse();
    }
}
