package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.gitopssync.app.Daemon;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A one-shot command builds the model of the command it runs only; help and typos see every command. */
class GitopsSyncCommandTest {

    private static final Supplier<Daemon> NO_DAEMON = () -> {
        throw new IllegalStateException("the daemon needs the Quarkus container");
    };

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        CommandLine sync = GitopsSyncCommand.commandLine("sync", NO_DAEMON);
        CommandLine secrets = GitopsSyncCommand.commandLine("secrets", NO_DAEMON);

        assertThat(sync.getSubcommands()).containsOnlyKeys("sync");
        assertThat(secrets.getSubcommands()).containsOnlyKeys("secrets");
        assertThat(secrets.getSubcommands().get("secrets").getSubcommands().keySet())
                .containsExactly("decrypt", "check", "recipients");
    }

    @Test
    void noCommandOrAnUnknownOneBuildsAllInHelpOrder() {
        for (String first : new String[] {null, "--help", "snyc"}) {
            assertThat(GitopsSyncCommand.commandLine(first, NO_DAEMON).getSubcommands().keySet()).as(first)
                    .containsExactly("sync", "daemon", "status", "ci", "config", "reset", "retry", "suspend", "resume",
                            "demo", "secrets", "publish", "fleet", "log");
        }
    }
}
