package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the operator reads when a command fails: one line, the exit code, no Java class names. */
class ErrorHandlerTest {

    @CommandLine.Command(name = "broken")
    static class Broken implements Callable<Integer> {
        RuntimeException failure;

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private String run(RuntimeException failure, int[] exit) {
        Broken broken = new Broken();
        broken.failure = failure;
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(broken).setExecutionExceptionHandler(new ErrorHandler())
                .setErr(new PrintWriter(err, true));
        exit[0] = line.execute();
        return err.toString();
    }

    @Test
    void aBugIsOneLineInWordsWithTheWayToItsStackTrace() {
        int[] exit = new int[1];
        String err = run(new IllegalStateException("the generation table has no row 7\nsecond line"), exit);

        assertThat(exit[0]).isEqualTo(ExitCodes.FAILED);
        assertThat(err).isEqualTo("gitops-sync: internal error: the generation table has no row 7 (for the stack trace,"
                + " run it again with GITOPS_JAVA_OPTS=-Dquarkus.log.level=DEBUG)" + System.lineSeparator());
        assertThat(err).doesNotContain("IllegalStateException", "java.lang", "--debug");
    }

    @Test
    void aBugWithoutAMessageStillSaysSomething() {
        int[] exit = new int[1];

        assertThat(run(new NullPointerException(), exit)).startsWith("gitops-sync: internal error: an unexpected failure (")
                .doesNotContain("NullPointerException");
    }
}
