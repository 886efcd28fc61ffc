package org.gitopssync.faults;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.Processes;

/**
 * {@code kill -9} while the secrets stage opens the commit's secrets: for the killed run the age key file is a
 * named pipe, and the agent blocks reading it (a key on slow or hung storage). Then a rerun with the real key.
 */
class SecretsKillIT extends StageKillScenario {

    private Path fifo;
    private final AtomicBoolean opened = new AtomicBoolean();
    private Thread writer;

    @Override
    String stage() {
        return "secrets";
    }

    @Override
    void makeSlow() throws Exception {
        fifo = tmp.resolve("age-key.fifo");
        Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("mkfifo failed");
        }
        writer = new Thread(() -> {
            // opening a pipe for writing returns only once a reader (the agent) has opened it
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                opened.set(true);
                synchronized (opened) {
                    opened.wait(TimeUnit.MINUTES.toMillis(3));
                }
            } catch (IOException e) {
                // the reader went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "age-key-pipe");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    Path killedRunConfig() throws IOException {
        Path file = tmp.resolve("gitops-key-on-a-pipe.toml");
        Files.writeString(file, fixture.toml().replace(AgentFixture.quote(AgentFixture.demoKey().toString()),
                AgentFixture.quote(fifo.toString())));
        return file;
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        agent.awaitLog("source:");
        if (!Processes.await(opened::get)) {
            throw new AssertionError("the agent never opened its age key; stderr:\n" + agent.stderr());
        }
    }

    @Override
    void lift() throws Exception {
        if (!opened.get()) {
            // unblock the writer's open(2)
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                in.available();
            }
        }
        synchronized (opened) {
            opened.notifyAll();
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
    }
}
