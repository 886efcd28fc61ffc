package org.gitopssync.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gitopssync.GitopsException;
import org.gitopssync.config.HistorySettings;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.StateStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code log [<cycle>]}: a cycle's log (its stage lines and the output of what it ran), the latest by default. */
class LogCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final CommandSpec spec = CommandModel.command(this,
                    "Print a cycle's log: its stage transitions, warnings and errors, and the output of the commands it"
                            + " ran (the latest cycle when no id is given).")
            .addOption(ConfigOption.spec())
            .addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("CYCLE")
                    .type(String.class).description("The cycle's number as `status` shows it (#118 or 118).").build());

    static CommandSpec spec() {
        return new LogCommand().spec;
    }

    @Override
    public Integer call() {
        String cycle = spec.positionalParameters().get(0).getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        CycleRecord c;
        try (StateStore store = StateStore.open(settings.stateDir())) {
            Optional<CycleRecord> latest = store.recentCycles(1).stream().findFirst();
            if (cycle == null) {
                c = latest.orElseThrow(() -> new UnknownCycleException(
                        "no cycle has run yet (state in " + settings.stateDir() + ")"));
            } else {
                long id = parse(cycle);
                c = store.cycle(id).orElseThrow(() -> new UnknownCycleException(unknown(id, latest, settings)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("cycle #" + c.id() + " (" + c.trigger() + ", " + TIME.format(c.startedAt()) + "): " + c.outcome().word()
                + (c.stage() == null ? "" : " in " + c.stage())
                + (c.commit() == null ? "" : " at " + c.commit()));
        Optional<Path> log = Optional.ofNullable(c.logPath()).map(Path::of);
        if (log.isEmpty()) {
            out.println("(no log was kept for this cycle)");
        } else {
            copy(log.get(), out);
        }
        if (c.error() != null) {
            out.println("error: " + c.error());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Why cycle {@code id} is not there. Cycle numbers are never reused: one below the latest was removed by
     * {@code [history]}.
     */
    private static String unknown(long id, Optional<CycleRecord> latest, Settings settings) {
        if (latest.isEmpty()) {
            return "no cycle #" + id + " in " + settings.stateDir() + " (no cycle has run yet)";
        }
        long newest = latest.get().id();
        return id < newest ? removed(id, newest, settings.history())
                : "no cycle #" + id + " in " + settings.stateDir() + " (the latest is #" + newest + ")";
    }

    private static String removed(long id, long latest, HistorySettings history) {
        return "cycle #" + id + " is no longer kept: [history] removes finished cycles after keep ("
                + SystemdDuration.format(history.keep()) + "), and polls that found nothing to do after keep_unchanged ("
                + SystemdDuration.format(history.keepUnchanged()) + "); the latest is #" + latest;
    }

    private static long parse(String arg) {
        String s = arg.startsWith("#") ? arg.substring(1) : arg;
        try {
            long id = Long.parseLong(s);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UnknownCycleException("\"" + arg + "\" is not a cycle number (as `status` shows them: #118 or 118)");
    }

    /** Streams the file: a cycle log can be large. */
    private static void copy(Path file, PrintWriter out) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            out.println("(the cycle wrote no log: " + file + " does not exist)");
        } catch (IOException e) {
            throw new UnreadableLogException("cannot read the log of the cycle, " + file + ": " + e.getMessage());
        }
    }

    /** The cycle asked for is not in the state store. */
    static final class UnknownCycleException extends GitopsException {
        UnknownCycleException(String message) {
            super(message);
        }
    }

    /** The cycle's log file exists but cannot be read. */
    static final class UnreadableLogException extends GitopsException {
        UnreadableLogException(String message) {
            super(message);
        }
    }
}
