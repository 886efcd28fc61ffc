package org.gitopssync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gitopssync.state.CycleLock;

/**
 * Another process holding a state directory's cycle lock, as a manual or timer cycle would: it
 * prints "held" once it has the lock and lets go when its standard input closes.
 */
public final class LockHolderProcess implements AutoCloseable {

    private final Process process;

    private LockHolderProcess(Process process) {
        this.process = process;
    }

    /** Starts the holder and returns once it holds the lock. */
    public static LockHolderProcess start(Path stateDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolderProcess.class.getName(), stateDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"held".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the lock holder did not take the lock: " + line);
        }
        return new LockHolderProcess(p);
    }

    public long pid() {
        return process.pid();
    }

    /** Releases the lock (the holder exits) and waits for the process to end. */
    public void release() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process is already gone
        }
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public static void main(String[] args) throws IOException {
        try (CycleLock ignored = CycleLock.acquire(Path.of(args[0]), "manual")) {
            System.out.println("held");
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
