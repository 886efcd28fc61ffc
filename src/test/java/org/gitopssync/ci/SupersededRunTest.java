package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.gitopssync.Cancellation;
import org.gitopssync.config.NixSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A newer commit on a branch cancels the build still running for an older one. */
class SupersededRunTest {

    private static final String SLOW = "checks." + NixSystem.current() + ".slow";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNewerCommitOnTheSameBranchCancelsTheOlderRunAndKillsItsBuild() throws Exception {
        TestFlake flake = TestFlake.create(tmp, "{ }");
        Path fifo = flake.fifo("slow-gate");
        Path pidFile = flake.shared().resolve("slow.pid");
        String older = flake.commit("""
                { checks.${system}.slow = mk "slow" "echo $$ > %s; read line < %s"; }""".formatted(pidFile, fifo),
                "a check that waits on a fifo");
        String newer = flake.commit("{ checks.${system}.slow = mk \"slow\" \"echo now fast\"; }", "make it fast");
        CountDownLatch slowStarted = new CountDownLatch(1);
        CiListener watcher = new CiListener() {
            @Override
            public void buildStarted(String drvPath, String label) {
                if (label.equals(SLOW)) {
                    slowStarted.countDown();
                }
            }
        };
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CompletableFuture<CiResult> first = CompletableFuture.supplyAsync(
                    () -> bed.engine.run(flake.run(older), Cancellation.none(), watcher));
            slowStarted.await();
            // opening the fifo's write end returns once the builder has opened the read end: it is running
            try (FileOutputStream gate = new FileOutputStream(fifo.toFile())) {
                long builder = Long.parseLong(Files.readString(pidFile).trim());
                assertThat(ProcessHandle.of(builder)).get().extracting(ProcessHandle::isAlive).isEqualTo(true);

                CiResult second = bed.engine.run(flake.run(newer), Cancellation.none());
                CiResult cancelled = first.get();

                assertThat(second.summary()).isEqualTo("1 built");
                assertThat(cancelled.cancelled()).isTrue();
                assertThat(cancelled.cancelReason()).contains("superseded by " + newer.substring(0, 12), "main");
                assertThat(cancelled.attributes()).singleElement().satisfies(a -> {
                    assertThat(a.attribute()).isEqualTo(SLOW);
                    assertThat(a.status()).isEqualTo(CiStatus.CANCELLED);
                });
                assertThat(cancelled.succeeded()).isFalse();
                assertThat(ProcessHandle.of(builder).map(ProcessHandle::isAlive)).as("the build's process tree is gone")
                        .isNotEqualTo(Optional.of(true));
                assertThat(bed.engine.results().run(cancelled.runId())).get()
                        .extracting(CiRunRecord::outcome).isEqualTo("cancelled");
            }
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theCallersCancellationStopsTheRunToo() throws Exception {
        TestFlake flake = TestFlake.create(tmp, "{ }");
        Path fifo = flake.fifo("gate");
        flake.commit("{ checks.${system}.slow = mk \"slow\" \"read line < %s\"; }".formatted(fifo), "slow");
        CountDownLatch started = new CountDownLatch(1);
        Cancellation stop = new Cancellation();
        try (CiTestbed bed = new CiTestbed(tmp, "cancel_superseded = false")) {
            CompletableFuture<CiResult> run = CompletableFuture.supplyAsync(() -> bed.engine.run(flake.runHead(), stop,
                    new CiListener() {
                        @Override
                        public void buildStarted(String drvPath, String label) {
                            started.countDown();
                        }
                    }));
            started.await();
            try (FileOutputStream gate = new FileOutputStream(fifo.toFile())) {
                stop.cancel("the agent is stopping");
                CiResult r = run.get();
                assertThat(r.cancelReason()).isEqualTo("the agent is stopping");
                assertThat(r.attributes()).extracting(AttributeResult::status).containsExactly(CiStatus.CANCELLED);
            }
        }
    }
}
