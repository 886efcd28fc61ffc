package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.NixVersion;

/**
 * The command lines of the CI engine, for one installed Nix version: the place where the
 * syntax differences between Nix releases live.
 */
final class NixCommands {

    private final Nix nix;
    private final NixVersion version;

    NixCommands(Nix nix, NixVersion version) {
        this.nix = nix;
        this.version = version;
    }

    /** Builds run on another store whose outputs must be copied back here. */
    boolean remoteStore() {
        return nix.remote().remoteStore();
    }

    /** The remote store, as configured (a store URI carries no credentials: the config refuses them). */
    String storeName() {
        return nix.remote().store();
    }

    /** A command that builds or asks the remote store, with the store's credentials in its environment. */
    Command reachingRemote(Command command) {
        return nix.reachingRemote(command);
    }

    /** One evaluation of a whole expression to JSON. */
    List<String> evalJson(String expression) {
        List<String> argv = nix.command("eval");
        argv.addAll(List.of("--json", "--expr", expression));
        return argv;
    }

    /**
     * The flake's metadata with its lock graph; fails when the committed {@code flake.lock} is
     * missing or incomplete. {@code --no-update-lock-file} makes that so for every reference: without
     * it Nix writes a new lock file into a checkout's directory and reports that. Not
     * {@code --no-write-lock-file}: with it Nix locks missing inputs in memory and succeeds.
     */
    List<String> flakeMetadata(String flakeRef) {
        List<String> argv = nix.command("flake", "metadata");
        argv.addAll(List.of("--no-update-lock-file", "--json", flakeRef));
        return argv;
    }

    /** {@code nix show-derivation} (Nix < 2.15) or {@code nix derivation show}, optionally with the closure. */
    List<String> showDerivation(Collection<String> drvs, boolean recursive) {
        List<String> argv = nix.command(version.showDerivationSubcommand().toArray(String[]::new));
        if (recursive) {
            argv.add("--recursive");
        }
        argv.addAll(drvs);
        return argv;
    }

    /** Prints the paths that are not valid in the local store; exits 0 either way. */
    List<String> checkValidity(Collection<String> paths) {
        List<String> argv = nixStore("--check-validity", "--print-invalid");
        argv.addAll(paths);
        return argv;
    }

    /** Says, without doing it, which outputs would be fetched from a substituter and which built. */
    List<String> dryRun(Collection<String> drvs) {
        List<String> argv = nixStore("--realise", "--dry-run");
        argv.addAll(drvs);
        return argv;
    }

    /**
     * Builds derivations whose dependencies are already built, one at a time, going on past
     * failures, with Nix enforcing both timeouts per build and reporting in internal-json so the
     * interleaved logs can be told apart. With {@code root}, outputs become garbage-collector
     * roots ({@code root}, {@code root-2}, ...) when all succeed. {@code drv^*} only exists from
     * Nix 2.13 on, so older versions use nix-store.
     */
    List<String> realise(List<String> drvs, Path root, Duration silence, Duration timeout) {
        List<String> argv;
        boolean outputsSyntax = version.supportsDerivationOutputsSyntax();
        if (nix.remote().remoteStore()) {
            // nix-store cannot evaluate here and build there; before 2.13 `nix build x.drv` builds its outputs.
            // Links to paths of another store mean nothing here: outputs are copied back and rooted after.
            argv = nix.command("build");
            argv.add("--no-link");
        } else if (outputsSyntax) {
            argv = nix.command("build");
            if (root == null) {
                argv.add("--no-link");
            } else {
                argv.add("--out-link");
                argv.add(root.toString());
            }
        } else {
            argv = nixStore("--realise");
            if (root != null) {
                argv.add("--add-root");
                argv.add(root.toString());
            }
        }
        argv.addAll(List.of("--keep-going", "--max-jobs", "1", "--log-format", "internal-json",
                "--option", "max-silent-time", seconds(silence), "--option", "timeout", seconds(timeout)));
        argv.addAll(nix.buildFlags());
        drvs.forEach(d -> argv.add(outputsSyntax ? d + "^*" : d));
        return argv;
    }

    /** Nix takes whole seconds; 0 would mean "no limit", so round up. */
    static String seconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return String.valueOf(Math.max(1, s));
    }

    /**
     * Registers valid output paths as garbage-collector roots, {@code root}, {@code root-2}, ...
     * in argument order; nothing is built because every path is already valid.
     */
    List<String> addRoots(Collection<String> validPaths, Path root) {
        List<String> argv = nixStore("--realise", "--add-root", root.toString());
        argv.addAll(validPaths);
        return argv;
    }

    /** With a remote store: which of {@code paths} are not valid there (what a batch did not build). */
    List<String> checkRemoteValidity(Collection<String> paths) {
        List<String> argv = nixStore("--check-validity", "--print-invalid");
        argv.add("--store");
        argv.add(nix.remote().store());
        argv.addAll(paths);
        return argv;
    }

    /**
     * With a remote store: copies outputs built there into this machine's store, where the roots, the
     * caches and the deploy stage find them. The remote store is the operator's own builder, chosen in
     * the configuration, so its paths are taken without signatures, as a local build's would be.
     */
    List<String> copyFromRemote(Collection<String> paths) {
        List<String> argv = nix.command("copy");
        argv.addAll(List.of("--from", nix.remote().store(), "--no-check-sigs"));
        argv.addAll(paths);
        return argv;
    }

    /** nix-eval-jobs over one attribute of the flake; JSON lines on stdout. */
    List<String> evalJobs(String flakeRef, String attribute, int workers, int maxMemoryMiB, Path gcRootsDir) {
        List<String> argv = nix.program("nix-eval-jobs",
                "--workers", String.valueOf(workers),
                "--max-memory-size", String.valueOf(maxMemoryMiB),
                "--gc-roots-dir", gcRootsDir.toString(),
                "--force-recurse",
                "--check-cache-status");
        argv.add("--flake");
        argv.add(flakeRef + "#" + attribute);
        return argv;
    }

    private List<String> nixStore(String... operation) {
        return nix.program("nix-store", operation);
    }
}
