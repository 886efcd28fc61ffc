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
import java.util.function.Consumer;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.jboss.logging.Logger;

/**
 * Evaluates with plain {@code nix eval}: one evaluation for every attribute, each wrapped in
 * {@code tryEval}. Errors tryEval cannot catch (abort, a missing attribute, a type error) fail
 * the whole evaluation; then the attributes are bisected until each failing one stands alone
 * with its own message, and the rest still build.
 */
final class NixEvalEvaluator implements Evaluator {

    private static final Logger LOG = Logger.getLogger(NixEvalEvaluator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;
    private final NixCommands commands;
    private final Duration timeout;

    NixEvalEvaluator(CommandRunner runner, NixCommands commands, Duration timeout) {
        this.runner = runner;
        this.commands = commands;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "nix eval";
    }

    @Override
    public void evaluate(EvalRequest request, Consumer<List<EvalJob>> sink, Cancellation cancellation) {
        Batch run = new Batch(request, sink, cancellation);
        List<String> hosts = request.allHosts() ? null : request.hosts();
        CommandResult all = run.eval(EvalExpression.batch(request, null, hosts));
        if (all.succeeded()) {
            run.emit(all.stdout());
            return;
        }
        if (cancellation.isCancelled()) {
            return;
        }
        LOG.debugf("evaluation of %s hit an error tryEval cannot catch; evaluating in parts", request.describe());
        List<Entry> entries = new ArrayList<>();
        if (request.checks()) {
            List<String> names = run.names(EvalExpression.checkNames(request),
                    CiTarget.set(request.checksAttribute() + "." + request.system()));
            names.forEach(n -> entries.add(new Entry(true, n)));
        }
        List<String> hostNames = hosts != null ? hosts
                : run.names(EvalExpression.hostNames(request), CiTarget.set("nixosConfigurations"));
        hostNames.forEach(h -> entries.add(new Entry(false, h)));
        run.bisect(entries, true);
    }

    /** A check (by name) or a host's system. */
    private record Entry(boolean check, String name) {
    }

    /** The state of one evaluation: where results go and what stops it. */
    private final class Batch {
        final EvalRequest request;
        final Consumer<List<EvalJob>> sink;
        final Cancellation cancellation;

        Batch(EvalRequest request, Consumer<List<EvalJob>> sink, Cancellation cancellation) {
            this.request = request;
            this.sink = sink;
            this.cancellation = cancellation;
        }

        CommandResult eval(String expression) {
            return runner.run(Command.of(commands.evalJson(expression)).capturingStdout()
                    .withTimeout(timeout).loggingTo(request.log()), cancellation);
        }

        /** Splits a failing set in halves until every hard error is isolated. */
        void bisect(List<Entry> entries, boolean knownToFail) {
            if (entries.isEmpty() || cancellation.isCancelled()) {
                return;
            }
            if (entries.size() == 1) {
                single(entries.get(0));
                return;
            }
            if (!knownToFail) {
                List<String> checks = entries.stream().filter(Entry::check).map(Entry::name).toList();
                List<String> hosts = entries.stream().filter(e -> !e.check()).map(Entry::name).toList();
                CommandResult r = eval(EvalExpression.batch(request, checks, hosts));
                if (r.succeeded()) {
                    emit(r.stdout());
                    return;
                }
            }
            int half = entries.size() / 2;
            bisect(entries.subList(0, half), false);
            bisect(entries.subList(half, entries.size()), false);
        }

        /** Evaluates one attribute without tryEval, to get its own error message. */
        void single(Entry e) {
            CiTarget target = e.check() ? CiTarget.check(request.checksAttribute(), request.system(), e.name())
                    : CiTarget.system(e.name());
            if (cancellation.isCancelled()) {
                return;
            }
            CommandResult r = eval(e.check() ? EvalExpression.check(request, e.name())
                    : EvalExpression.system(request, e.name()));
            if (r.succeeded()) {
                sink.accept(List.of(EvalJob.derivation(target, parseString(r.stdout()))));
            } else if (!cancellation.isCancelled()) {
                sink.accept(List.of(EvalJob.failure(target, NixErrors.message(r))));
            }
        }

        List<String> names(String expression, CiTarget set) {
            return EvalNames.from(eval(expression), set, job -> sink.accept(List.of(job)), cancellation);
        }

        void emit(String json) {
            JsonNode root;
            try {
                root = JSON.readTree(json);
            } catch (IOException ex) {
                throw new CiException("cannot parse nix eval output for " + request.describe() + ": " + ex.getMessage(), ex);
            }
            List<EvalJob> jobs = new ArrayList<>();
            List<Entry> unexplained = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("hosts").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                accept(new Entry(false, f.getKey()), CiTarget.system(f.getKey()), f.getValue(), jobs, unexplained);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("checks").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                accept(new Entry(true, f.getKey()), CiTarget.check(request.checksAttribute(), request.system(), f.getKey()),
                        f.getValue(), jobs, unexplained);
            }
            if (!jobs.isEmpty()) {
                sink.accept(jobs);
            }
            // tryEval says that it failed, not why: ask each failed attribute on its own
            unexplained.forEach(this::single);
        }

        private void accept(Entry entry, CiTarget target, JsonNode value, List<EvalJob> jobs, List<Entry> unexplained) {
            if (value.hasNonNull("drvPath")) {
                jobs.add(new EvalJob(target, value.get("drvPath").asText(), outputs(value.path("outputs")), null,
                        EvalJob.CacheStatus.UNKNOWN));
            } else if (value.hasNonNull("error")) {
                jobs.add(EvalJob.failure(target, value.get("error").asText()));
            } else {
                unexplained.add(entry);
            }
        }

        /** The output paths the evaluation named; none unless it named every one as a string. */
        private static Map<String, String> outputs(JsonNode named) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = named.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                if (!o.getValue().isTextual()) {
                    return Map.of();
                }
                out.put(o.getKey(), o.getValue().asText());
            }
            return out;
        }

        private String parseString(String json) {
            try {
                return JSON.readTree(json).asText();
            } catch (IOException ex) {
                throw new CiException("cannot parse nix eval output: " + ex.getMessage(), ex);
            }
        }
    }
}
