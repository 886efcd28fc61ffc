package org.gitopssync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeriodicTasksTest {

    @Test
    void aTaskThatThrowsKeepsItsSchedule() throws InterruptedException {
        CountDownLatch thirdRun = new CountDownLatch(3);
        try (PeriodicTasks tasks = new PeriodicTasks()) {
            tasks.every("failing", Duration.ofMillis(10), Duration.ZERO, () -> {
                thirdRun.countDown();
                throw new IllegalStateException("forge unreachable");
            });
            assertThat(thirdRun.await(30, TimeUnit.SECONDS)).as("ran again after throwing").isTrue();
        }
    }

    @Test
    void aSlowTaskDoesNotHoldAnotherAndOnlyConfiguredTasksGetAThread() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch polled = new CountDownLatch(20);
        try (PeriodicTasks tasks = new PeriodicTasks()) {
            tasks.every("slow", Duration.ofHours(1), Duration.ZERO, () -> {
                threads.add(Thread.currentThread());
                slowStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
            tasks.every("poll", Duration.ofMillis(10), Duration.ZERO, () -> {
                threads.add(Thread.currentThread());
                polled.countDown();
            });
            assertThat(polled.await(30, TimeUnit.SECONDS)).as("the poll ran while the slow task was running").isTrue();
            assertThat(threads).as("one thread per task, no more").hasSize(2);
            release.countDown();
        }
    }
}
