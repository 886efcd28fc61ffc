package org.gitopssync.nix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;

/** The agent's one way to talk to Nix: version detection and builds, through the command runner. */
public class Nix {

    static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;
    private final Map<String, String> options;
    private volatile NixVersion version;

    public Nix(CommandRunner runner) {
        this(runner, Map.of());
    }

    /** {@code options} become {@code --option name value} on every nix call (e.g. substituters). */
    public Nix(CommandRunner runner, Map<String, String> options) {
        this.runner = runner;
        this.options = Map.copyOf(options);
    }

    /**
     * The start of a {@code nix <subcommand>} argument list with the agent's common flags: flakes
     * enabled whatever nix.conf says, and the configured options.
     */
    public List<String> command(String... subcommand) {
        List<String> argv = new ArrayList<>();
        argv.add("nix");
        argv.addAll(List.of(subcommand));
        argv.add("--extra-experimental-features");
        argv.add("nix-command flakes");
        options.forEach((k, v) -> {
            argv.add("--option");
            argv.add(k);
            argv.add(v);
        });
        return argv;
    }

    /** The configured {@code --option} pairs, for the other nix programs (nix-store, nix-eval-jobs). */
    public Map<String, String> options() {
        return options;
    }

    public CommandRunner runner() {
        return runner;
    }

    /** The installed version, asked once per process. */
    public NixVersion version() {
        NixVersion v = version;
        if (v == null) {
            CommandResult r = runner.runChecked(Command.of("nix", "--version").capturingStdout()
                    .withTimeout(Duration.ofSeconds(30)), Cancellation.none());
            v = NixVersion.parse(r.stdout());
            version = v;
        }
        return v;
    }

    /**
     * Builds installables with {@code nix build --json}; {@code outLink} (may be null) keeps the
     * result alive as a GC root. Throws {@link NixException} with the log tail on failure.
     */
    public List<BuiltDerivation> build(List<String> installables, Path outLink, Path log, Duration timeout,
            Cancellation cancellation) {
        List<String> argv = command("build");
        argv.addAll(List.of("--json", "--print-build-logs"));
        if (outLink == null) {
            argv.add("--no-link");
        } else {
            argv.add("--out-link");
            argv.add(outLink.toString());
        }
        argv.addAll(installables);
        CommandResult r = runner.run(Command.of(argv).capturingStdout().withTimeout(timeout).loggingTo(log),
                cancellation);
        if (!r.succeeded()) {
            throw new NixException("nix build " + String.join(" ", installables) + " " + r.failureSummary()
                    .substring("nix ".length()), r);
        }
        return parseBuildJson(r.stdout());
    }

    static List<BuiltDerivation> parseBuildJson(String json) {
        try {
            List<BuiltDerivation> out = new ArrayList<>();
            for (JsonNode n : JSON.readTree(json)) {
                Map<String, String> outputs = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.path("outputs").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    outputs.put(e.getKey(), e.getValue().asText());
                }
                out.add(new BuiltDerivation(n.path("drvPath").asText(), outputs));
            }
            return out;
        } catch (IOException e) {
            throw new NixException("cannot parse `nix build --json` output: " + e.getMessage(), e);
        }
    }
}
