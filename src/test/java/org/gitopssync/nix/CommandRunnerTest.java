package org.gitopssync.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: timeouts and cancellation kill the whole tree; secrets travel in the environment only. */
@Timeout(120)
class CommandRunnerTest {

    @TempDir
    Path tmp;

    final CommandRunner runner = new CommandRunner();

    private static String marker() {
        return "gitops-runner-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    /** A shell whose background child (a grandchild of the runner) loops until killed; both carry the marker. */
    private static Command spinningTree(String marker) {
        return Command.of("sh", "-c", "sh -c ': " + marker + "; while :; do sleep 0.2; done' & wait");
    }

    @Test
    void theTotalTimeoutKillsTheProcessAndItsChildren() throws Exception {
        String marker = marker();
        CommandResult r = runner.run(spinningTree(marker).withTimeout(Duration.ofMillis(500)), Cancellation.none());

        assertThat(r.termination()).isEqualTo(CommandResult.Termination.TIMED_OUT);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failureSummary()).startsWith("sh timed out after");
        assertThat(Processes.withMarker(marker)).as("processes of the tree left running").isEmpty();
    }

    @Test
    void aSilentProcessIsKilledAfterTheNoOutputTimeout() {
        CommandResult r = runner.run(Command.of("sh", "-c", "echo started; exec sleep 600")
                .withTimeout(Duration.ofMinutes(10)).withNoOutputTimeout(Duration.ofMillis(300)), Cancellation.none());

        assertThat(r.termination()).isEqualTo(CommandResult.Termination.SILENT_TOO_LONG);
        assertThat(r.outputTail()).containsExactly("started");
        assertThat(r.failureSummary()).contains("produced no output for").endsWith(": started");
    }

    @Test
    void cancellationFromAnotherThreadKillsTheTree() throws Exception {
        String marker = marker();
        Cancellation cancellation = new Cancellation();
        Thread canceller = new Thread(() -> {
            try {
                if (Processes.await(() -> Processes.withMarker(marker).size() >= 2)) {
                    cancellation.cancel("superseded");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();

        CommandResult r = runner.run(spinningTree(marker).withTimeout(Duration.ofMinutes(5)), cancellation);
        canceller.join();

        assertThat(r.termination()).isEqualTo(CommandResult.Termination.CANCELLED);
        assertThat(Processes.withMarker(marker)).isEmpty();
    }

    @Test
    void secretsReachTheChildThroughItsEnvironmentAndNeverTheLogOrTheCommandLine() throws IOException {
        String secret = "s3cr3t-" + System.nanoTime();
        Path log = tmp.resolve("logs/push.log");
        CommandResult r = runner.run(Command.of("sh", "-c", "printf '%s' \"$PUSH_TOKEN\" | wc -c")
                .withEnvironment(Map.of("PUSH_TOKEN", secret)).loggingTo(log), Cancellation.none());

        assertThat(r.succeeded()).isTrue();
        assertThat(r.outputTail().get(0).strip()).isEqualTo(String.valueOf(secret.length()));
        assertThat(Files.readString(log)).doesNotContain(secret);
        assertThat(r.command().toString()).doesNotContain(secret).contains("PUSH_TOKEN");
        assertThat(r.command().display()).doesNotContain(secret);
    }

    @Test
    void aNonZeroExitIsAResultAndRunCheckedNamesTheLastOutputLine() {
        CommandResult r = runner.run(Command.of("sh", "-c", "echo first; echo 'error: it broke' >&2; exit 3"),
                Cancellation.none());
        assertThat(r.termination()).isEqualTo(CommandResult.Termination.EXITED);
        assertThat(r.exitCode()).isEqualTo(3);

        assertThatThrownBy(() -> runner.runChecked(Command.of("sh", "-c", "echo 'error: it broke'; exit 3"),
                Cancellation.none()))
                .isInstanceOf(NixException.class).hasMessage("sh exited with status 3: error: it broke");
    }

    @Test
    void aProgramThatIsNotInstalledIsNamed() {
        assertThatThrownBy(() -> runner.run(Command.of("no-such-program-gitops"), Cancellation.none()))
                .isInstanceOf(NixException.class).hasMessageStartingWith("cannot start no-such-program-gitops")
                .hasMessageContaining("no program named \"no-such-program-gitops\" on PATH")
                .hasMessageNotContaining("error=2").hasMessageNotContaining("Cannot run program");
    }

    @Test
    void aProgramThatCannotBeExecutedSaysWhy() throws IOException {
        Path notExecutable = Files.writeString(tmp.resolve("not-executable"), "#!/bin/sh\n");

        assertThatThrownBy(() -> runner.run(Command.of(notExecutable.toString()), Cancellation.none()))
                .isInstanceOf(NixException.class)
                .hasMessage("cannot start " + notExecutable + ": permission denied");
    }

    @Test
    void aBareProgramNameIsFoundOnTheChildsPath() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path tool = bin.resolve("gitops-test-tool");
        Files.writeString(tool, "#!/bin/sh\necho from-the-child-path\n");
        tool.toFile().setExecutable(true);
        CommandRunner withPath = new CommandRunner(Map.of("PATH", bin + ":" + System.getenv("PATH")));

        CommandResult r = withPath.run(Command.of("gitops-test-tool").capturingStdout(), Cancellation.none());

        assertThat(r.stdout()).isEqualTo("from-the-child-path\n");
        assertThat(withPath.findOnPath("gitops-test-tool")).contains(tool);
        assertThat(runner.findOnPath("gitops-test-tool")).isEmpty();
    }
}
