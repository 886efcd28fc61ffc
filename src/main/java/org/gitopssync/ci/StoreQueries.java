package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.NixException;
import org.gitopssync.nix.PathBatches;

/** Questions to the Nix store, batched so that thousands of paths cost a handful of processes. */
final class StoreQueries {

    /** Paths per command line: well under the kernel's argument size limit. */

    private final CommandRunner runner;
    private final NixCommands commands;
    private final Duration timeout;
    private final Path log;

    StoreQueries(CommandRunner runner, NixCommands commands, Duration timeout, Path log) {
        this.runner = runner;
        this.commands = commands;
        this.timeout = timeout;
        this.log = log;
    }

    /** The derivations (and with {@code closure}, everything they depend on), by .drv path. */
    Map<String, DerivationInfo> show(Collection<String> drvs, boolean closure, Cancellation cancellation) {
        Map<String, DerivationInfo> out = new LinkedHashMap<>();
        for (List<String> chunk : PathBatches.of(drvs)) {
            CommandResult r = run(commands.showDerivation(chunk, closure), cancellation);
            out.putAll(DerivationJson.parse(r.stdout(), DerivationJson.storeDirOf(chunk.get(0))));
        }
        return out;
    }

    /** Which of {@code paths} are not valid (not present, or incomplete) in the local store. */
    Set<String> invalid(Collection<String> paths, Cancellation cancellation) {
        return collectLines(paths, commands::checkValidity, cancellation);
    }

    /**
     * Which outputs of {@code drvs} a configured substituter would provide: the "will be fetched"
     * part of a dry run.
     */
    Set<String> substitutable(Collection<String> drvs, Cancellation cancellation) {
        Set<String> fetched = new HashSet<>();
        for (List<String> chunk : PathBatches.of(drvs)) {
            // the answer is on stderr, line by line
            List<String> answer = Collections.synchronizedList(new ArrayList<>());
            List<String> argv = commands.dryRun(chunk);
            CommandResult r = runner.run(Command.of(argv).capturingStdout().streamingStderrTo(answer::add)
                    .withTimeout(timeout).loggingTo(log), cancellation);
            if (!r.succeeded()) {
                throw new NixException(argv.get(0) + " --dry-run failed: " + NixErrors.message(r), r);
            }
            boolean inFetched = false;
            for (String line : answer) {
                String t = line.strip();
                if (t.startsWith("/")) {
                    if (inFetched) {
                        fetched.add(t);
                    }
                } else {
                    inFetched = t.contains("will be fetched");
                }
            }
        }
        return fetched;
    }

    /** With a remote store: which of {@code paths} are not valid there. */
    Set<String> invalidRemotely(Collection<String> paths, Cancellation cancellation) {
        Set<String> out = new HashSet<>();
        for (List<String> chunk : PathBatches.of(paths)) {
            List<String> argv = commands.checkRemoteValidity(chunk);
            CommandResult r = runner.run(commands.reachingRemote(Command.of(argv).capturingStdout().withTimeout(timeout)
                    .loggingTo(log)), cancellation);
            if (!r.succeeded()) {
                throw new NixException("asking the remote store " + describeStore() + " which outputs it holds failed: "
                        + NixErrors.message(r), r);
            }
            r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(out::add);
        }
        return out;
    }

    /** With a remote store: copies {@code paths} (built there) into this machine's store. */
    void copyFromRemote(Collection<String> paths, Cancellation cancellation) {
        for (List<String> chunk : PathBatches.of(paths)) {
            CommandResult r = runner.run(commands.reachingRemote(Command.of(commands.copyFromRemote(chunk))
                    .capturingStdout().withTimeout(timeout).loggingTo(log)), cancellation);
            if (!r.succeeded()) {
                throw new NixException("copying " + chunk.size() + " built outputs from the remote store "
                        + describeStore() + " (ci.store) failed: " + NixErrors.message(r), r);
            }
        }
    }

    private String describeStore() {
        return commands.storeName();
    }

    /** Roots valid paths as {@code root}, {@code root-2}, ... and returns the links in argument order. */
    List<String> addRoots(List<String> validPaths, Path root, Cancellation cancellation) {
        if (validPaths.isEmpty()) {
            return List.of();
        }
        CommandResult r = run(commands.addRoots(validPaths, root), cancellation);
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private Set<String> collectLines(Collection<String> args, Function<List<String>, List<String>> argv,
            Cancellation cancellation) {
        Set<String> out = new HashSet<>();
        for (List<String> chunk : PathBatches.of(args)) {
            CommandResult r = run(argv.apply(chunk), cancellation);
            r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private CommandResult run(List<String> argv, Cancellation cancellation) {
        CommandResult r = runner.run(Command.of(argv).capturingStdout().withTimeout(timeout).loggingTo(log), cancellation);
        if (!r.succeeded()) {
            throw new NixException(argv.get(0) + " " + argv.get(1) + " failed: " + NixErrors.message(r), r);
        }
        return r;
    }
}
