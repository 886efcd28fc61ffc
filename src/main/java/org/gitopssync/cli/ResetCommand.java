package org.gitopssync.cli;

import java.util.concurrent.Callable;
import org.gitopssync.app.Agent;
import org.gitopssync.source.FetchedCommit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code reset --to <commit>}: accept a rewritten branch after a deliberate force-push. */
class ResetCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Accept a commit that the target policy refused (force-push or rewind).",
                    "Later targets must descend from it; the next cycle deploys the branch head.")
            .addOption(ConfigOption.spec())
            .addOption(OptionSpec.builder("--to").required(true).paramLabel("COMMIT").type(String.class)
                    .description("The commit to accept (full or abbreviated id, as named in the refusal).").build());

    static CommandSpec spec() {
        return new ResetCommand().spec;
    }

    @Override
    public Integer call() {
        String to = spec.findOption("--to").getValue();
        try (Agent agent = Agent.open(new ConfigOption(spec).load().settings(), System.getenv())) {
            FetchedCommit c = agent.reconciler().reset(to);
            spec.commandLine().getOut().println("accepted " + c.sha() + " \"" + c.subject() + "\" by " + c.author()
                    + "; the next cycle deploys " + agent.settings().repository().branch() + "'s head");
            return ExitCodes.OK;
        }
    }
}
