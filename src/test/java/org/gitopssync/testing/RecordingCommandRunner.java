package org.gitopssync.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;

/** The real runner, remembering every command line it ran (to prove what did or did not run). */
public final class RecordingCommandRunner extends CommandRunner {

    private final List<List<String>> commands = new CopyOnWriteArrayList<>();

    public RecordingCommandRunner() {
        super();
    }

    public RecordingCommandRunner(Map<String, String> baseEnvironment) {
        super(baseEnvironment);
    }

    @Override
    public CommandResult run(Command command, Cancellation cancellation) {
        commands.add(command.argv());
        return super.run(command, cancellation);
    }

    public List<List<String>> commands() {
        return List.copyOf(commands);
    }

    public boolean ran(String program) {
        return commands.stream().anyMatch(c -> c.get(0).equals(program) || c.get(0).endsWith("/" + program));
    }

    public void clear() {
        commands.clear();
    }
}
