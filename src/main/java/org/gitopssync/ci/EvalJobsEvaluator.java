package org.gitopssync.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.jboss.logging.Logger;

/**
 * Evaluates with nix-eval-jobs: parallel workers with a memory cap, one JSON object per
 * attribute on stdout, each handed on the moment its line arrives so builds start while the
 * rest is still evaluating.
 */
final class EvalJobsEvaluator implements Evaluator {

    private static final Logger LOG = Logger.getLogger(EvalJobsEvaluator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;
    private final NixCommands commands;
    private final int workers;
    private final int maxMemoryMiB;
    private final Duration timeout;

    EvalJobsEvaluator(CommandRunner runner, NixCommands commands, int workers, int maxMemoryMiB, Duration timeout) {
        this.runner = runner;
        this.commands = commands;
        this.workers = workers;
        this.maxMemoryMiB = maxMemoryMiB;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "nix-eval-jobs";
    }

    @Override
    public void evaluate(EvalRequest request, Consumer<List<EvalJob>> jobs, Cancellation cancellation) {
        // one line, one attribute: each is handed on alone, the moment it arrives
        Consumer<EvalJob> sink = job -> jobs.accept(List.of(job));
        List<String> hosts = request.allHosts() ? allHosts(request, sink, cancellation) : request.hosts();
        // systems first: they are usually the longest builds, so they should start first
        for (String host : hosts) {
            if (cancellation.isCancelled()) {
                return;
            }
            CiTarget target = CiTarget.system(host);
            stream(request, "nixosConfigurations." + pathPart(host) + ".config.system.build.toplevel",
                    path -> target, target, sink, cancellation);
        }
        if (request.checks() && !cancellation.isCancelled()) {
            String set = request.checksAttribute() + "." + request.system();
            stream(request, pathPart(request.checksAttribute()) + "." + pathPart(request.system()),
                    path -> CiTarget.check(request.checksAttribute(), request.system(), path), CiTarget.set(set),
                    sink, cancellation);
        }
    }

    private void stream(EvalRequest request, String attribute, Function<String, CiTarget> targetOf,
            CiTarget whole, Consumer<EvalJob> sink, Cancellation cancellation) {
        AtomicInteger lines = new AtomicInteger();
        Command command = Command.of(commands.evalJobs(request.flakeRef(), attribute, workers, maxMemoryMiB,
                        request.gcRootsDir()))
                .streamingStdoutTo(line -> {
                    EvalJob job = parseLine(line, targetOf);
                    if (job != null) {
                        lines.incrementAndGet();
                        sink.accept(job);
                    }
                })
                .withTimeout(timeout)
                .loggingTo(request.log());
        CommandResult r = runner.run(command, cancellation);
        if (!r.succeeded() && !cancellation.isCancelled()) {
            String why = NixErrors.message(r);
            sink.accept(EvalJob.failure(whole, lines.get() == 0 ? why
                    : "nix-eval-jobs stopped after " + lines.get() + " attributes: " + why));
        }
    }

    /** One line of nix-eval-jobs output, or null for a line that is not a job. */
    static EvalJob parseLine(String line, Function<String, CiTarget> targetOf) {
        if (line.isBlank() || !line.startsWith("{")) {
            return null;
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            LOG.warnf("nix-eval-jobs printed a line that is not JSON, ignored: %s", line);
            return null;
        }
        List<String> path = new ArrayList<>();
        n.path("attrPath").forEach(p -> path.add(p.asText()));
        String attr = path.isEmpty() ? n.path("attr").asText("") : String.join(".", path);
        CiTarget target = targetOf.apply(attr);
        if (n.hasNonNull("error")) {
            return EvalJob.failure(target, n.get("error").asText().strip());
        }
        if (!n.hasNonNull("drvPath")) {
            return null;
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("outputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                outputs.put(e.getKey(), e.getValue().asText());
            }
        }
        return new EvalJob(target, n.get("drvPath").asText(), outputs, null, cacheStatus(n));
    }

    private static EvalJob.CacheStatus cacheStatus(JsonNode n) {
        return switch (n.path("cacheStatus").asText("")) {
            case "local" -> EvalJob.CacheStatus.LOCAL;
            case "cached" -> EvalJob.CacheStatus.CACHED;
            case "notBuilt" -> EvalJob.CacheStatus.NOT_BUILT;
            default -> n.path("isCached").asBoolean(false) ? EvalJob.CacheStatus.CACHED : EvalJob.CacheStatus.UNKNOWN;
        };
    }

    private List<String> allHosts(EvalRequest request, Consumer<EvalJob> sink, Cancellation cancellation) {
        CommandResult r = runner.run(Command.of(commands.evalJson(EvalExpression.hostNames(request))).capturingStdout()
                .withTimeout(timeout).loggingTo(request.log()), cancellation);
        return EvalNames.from(r, CiTarget.set("nixosConfigurations"), sink, cancellation);
    }

    /** An attribute name inside an installable's path: quoted unless it is a plain identifier. */
    static String pathPart(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_'-]*") ? name : "\"" + name + "\"";
    }
}
