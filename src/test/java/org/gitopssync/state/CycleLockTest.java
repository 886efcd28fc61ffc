package org.gitopssync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.gitopssync.testing.LockHolderProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One cycle per state directory, across processes; the loser is told who holds the lock. */
@Timeout(120)
class CycleLockTest {

    @TempDir
    Path stateDir;

    @Test
    void aLockHeldByAnotherProcessIsRefusedNamingItsPidAndIsFreeOnceReleased() throws Exception {
        try (LockHolderProcess other = LockHolderProcess.start(stateDir)) {
            assertThatThrownBy(() -> CycleLock.acquire(stateDir, "manual"))
                    .isInstanceOf(LockHeldException.class)
                    .hasMessageContaining("another cycle holds the lock " + stateDir.resolve("cycle.lock"))
                    .hasMessageContaining("pid " + other.pid() + ", manual since");

            other.release();
        }
        try (CycleLock lock = CycleLock.acquire(stateDir, "timer")) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void aKilledHolderLeavesNoStaleLock() throws Exception {
        try (LockHolderProcess other = LockHolderProcess.start(stateDir)) {
            other.close(); // SIGKILL
        }
        try (CycleLock lock = CycleLock.acquire(stateDir, "manual")) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void aSecondCycleInTheSameProcessIsRefusedToo() {
        try (CycleLock held = CycleLock.acquire(stateDir, "schedule")) {
            assertThatThrownBy(() -> CycleLock.acquire(stateDir, "webhook"))
                    .isInstanceOf(LockHeldException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + ", schedule since");
        }
        try (CycleLock again = CycleLock.acquire(stateDir, "webhook")) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void awaitFreeReturnsOnceTheOtherProcessLetsGo() throws Exception {
        try (LockHolderProcess other = LockHolderProcess.start(stateDir)) {
            Thread releaser = new Thread(() -> {
                try {
                    other.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            releaser.start();
            CycleLock.awaitFree(stateDir);
            releaser.join();
        }
        try (CycleLock lock = CycleLock.acquire(stateDir, "webhook")) {
            assertThat(lock).isNotNull();
        }
    }
}
