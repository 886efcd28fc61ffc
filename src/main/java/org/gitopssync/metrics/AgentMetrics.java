package org.gitopssync.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.gitopssync.cache.CacheOutcome;
import org.gitopssync.cache.PushReport;
import org.gitopssync.ci.CiResult;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.StatusDeliveries;
import org.gitopssync.reconcile.CycleObserver;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.Stage;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.CycleTally;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;

/**
 * The agent's Prometheus families. What the state store knows (cycle counts, the deployment,
 * suspension, reboot) is read at each scrape, so it is the same in the daemon and in timer mode
 * and survives restarts; what only a running cycle sees (durations, attributes, cache pushes) is
 * counted as it happens, per process. Forge status results and the outbox come from the state store
 * too (one-shot processes deliver them); webhook deliveries reach only the daemon.
 */
public final class AgentMetrics implements CycleObserver {

    /** The stages {@code gitops_sync_last_failed} has a series for. */
    static final List<String> FAILABLE_STAGES = List.of("source", "secrets", "build", "cache", "deploy");

    /** Outcomes that mean the host runs what the branch says. */
    static final Set<CycleOutcome> CONVERGED = EnumSet.of(CycleOutcome.DEPLOYED, CycleOutcome.UP_TO_DATE,
            CycleOutcome.UNCHANGED);

    /** Outcomes that make {@code gitops_sync_last_failed} 1; a cancellation was asked for, so it is not one. */
    private static final Set<CycleOutcome> FAILED = EnumSet.of(CycleOutcome.FAILED, CycleOutcome.REFUSED,
            CycleOutcome.ABANDONED);

    /** The series of {@code gitops_sync_cycle_duration_seconds}: each stage, and the whole cycle. */
    static final List<String> TIMED_STAGES = List.of("source", "secrets", "build", "cache", "deploy", "cycle");

    private static final Duration[] DURATION_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(20), Duration.ofMinutes(40), Duration.ofHours(1), Duration.ofHours(2)};

    private final StateStore store;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<List<String>, AtomicLong> cycles = new HashMap<>();
    private final Map<List<String>, AtomicLong> statuses = new HashMap<>();
    private final AtomicLong outboxDepth = new AtomicLong();
    private final AtomicLong rollbacks = new AtomicLong();
    private final AtomicLong lastCycle = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong suspended = new AtomicLong();
    private final AtomicLong drift = new AtomicLong();
    private final AtomicLong rebootNeeded = new AtomicLong();
    private final Map<String, AtomicLong> lastFailed = new LinkedHashMap<>();
    // Micrometer drops an "_info" suffix from gauge names; the client's Info keeps the contract's names
    private final Info deploymentInfo;
    private List<String> deployment = List.of();

    /** Registers the families; {@code version} labels {@code gitops_sync_build_info}. */
    public AgentMetrics(StateStore store, String version) {
        this.store = store;
        Info.builder().name("gitops_sync_build_info").help("The running agent's version").labelNames("version")
                .register(registry.getPrometheusRegistry()).setLabelValues(version);
        deploymentInfo = Info.builder().name("gitops_sync_deployment_info")
                .help("The deployment the host runs: its commit, profile generation and operation")
                .labelNames("commit", "generation", "operation").register(registry.getPrometheusRegistry());
        FunctionCounter.builder("gitops_sync_rollbacks", rollbacks, AtomicLong::doubleValue)
                .description("Activations rolled back (by the health gate or a failed switch)").register(registry);
        gauge("gitops_sync_last_cycle_timestamp_seconds", lastCycle, "When the last cycle finished (0: never)");
        gauge("gitops_sync_last_success_timestamp_seconds", lastSuccess,
                "When the last cycle that left the host converged (deployed, up-to-date, unchanged) finished");
        gauge("gitops_sync_suspended", suspended, "1 while the agent deploys nothing (suspend, or drift)");
        gauge("gitops_sync_drift", drift, "1 while the agent is suspended because the running system drifted");
        gauge("gitops_sync_reboot_needed", rebootNeeded, "1 while a deployed system waits for a reboot");
        for (String stage : FAILABLE_STAGES) {
            AtomicLong v = new AtomicLong();
            lastFailed.put(stage, v);
            Gauge.builder("gitops_sync_last_failed", v, AtomicLong::doubleValue).tag("stage", stage)
                    .description("1 for the stage the last finished cycle failed in").register(registry);
        }
        gauge("gitops_sync_forge_outbox_depth", outboxDepth,
                "Forge statuses written and not yet accepted or refused (sent by the next cycle or process)");
        for (String stage : TIMED_STAGES) {
            Timer.builder("gitops_sync_cycle_duration").tag("stage", stage).serviceLevelObjectives(DURATION_BUCKETS)
                    .description("How long each stage, and whole cycles (stage=cycle), took in this process")
                    .register(registry);
        }
    }

    private void gauge(String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::doubleValue).description(description).register(registry);
    }

    /** The families in Prometheus text format, with what the state store says now. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    private void refresh() {
        for (CycleTally t : store.cycleTallies()) {
            List<String> key = List.of(t.trigger(), t.outcome().word());
            cycles.computeIfAbsent(key, k -> {
                AtomicLong v = new AtomicLong();
                FunctionCounter.builder("gitops_sync_cycles", v, AtomicLong::doubleValue)
                        .tags("trigger", k.get(0), "outcome", k.get(1))
                        .description("Finished cycles by trigger and outcome").register(registry);
                return v;
            }).set(t.count());
        }
        StatusDeliveries deliveries = new StatusDeliveries(store);
        for (StatusDeliveries.Tally t : deliveries.tallies()) {
            statuses.computeIfAbsent(List.of(t.forge(), t.result()), k -> {
                AtomicLong v = new AtomicLong();
                FunctionCounter.builder("gitops_sync_forge_statuses", v, AtomicLong::doubleValue)
                        .tags("forge", k.get(0), "result", k.get(1))
                        .description("Commit statuses that left the queue: delivered, failed (refused or retries"
                                + " exhausted), dropped (queue full or closing)").register(registry);
                return v;
            }).set(t.count());
        }
        outboxDepth.set(deliveries.waiting());
        rollbacks.set(store.countDeployments(DeploymentRecord.Status.ROLLED_BACK)
                + store.countDeployments(DeploymentRecord.Status.ROLLBACK_FAILED));
        Optional<CycleRecord> last = store.lastFinishedCycle(EnumSet.complementOf(EnumSet.of(CycleOutcome.RUNNING)));
        lastCycle.set(last.map(c -> c.finishedAt().getEpochSecond()).orElse(0L));
        lastSuccess.set(store.lastFinishedCycle(CONVERGED).map(c -> c.finishedAt().getEpochSecond()).orElse(0L));
        String failedStage = last.filter(c -> FAILED.contains(c.outcome())).map(CycleRecord::stage).orElse("");
        lastFailed.forEach((stage, v) -> v.set(stage.equals(failedStage) ? 1 : 0));
        Optional<Suspension> suspension = new Suspensions(store).current();
        suspended.set(suspension.isPresent() ? 1 : 0);
        drift.set(suspension.filter(Suspension::byDrift).isPresent() ? 1 : 0);
        rebootNeeded.set(store.mark(SourceMark.REBOOT_PENDING).isPresent() ? 1 : 0);
        refreshDeployment(store.lastSuccessfulDeployment());
    }

    /** Only the deployment the host runs now has a series: an old one is removed, not left at 0. */
    private void refreshDeployment(Optional<DeploymentRecord> deployed) {
        List<String> now = deployed.map(d -> List.of(d.commit(),
                d.generation() == null ? "" : d.generation().toString(), d.operation())).orElse(List.of());
        if (now.equals(deployment)) {
            return;
        }
        if (!deployment.isEmpty()) {
            deploymentInfo.remove(deployment.toArray(String[]::new));
        }
        if (!now.isEmpty()) {
            deploymentInfo.setLabelValues(now.toArray(String[]::new));
        }
        deployment = now;
    }

    /** Counts one webhook delivery by how it ended; only the daemon receives webhooks, so it counts per process. */
    public void webhookDelivery(ForgeKind forge, String result) {
        registry.counter("gitops_sync_webhook_deliveries", "forge", forge.name().toLowerCase(Locale.ROOT),
                "result", result).increment();
    }

    @Override
    public void stageFinished(long cycleId, Stage stage, Duration took) {
        if (TIMED_STAGES.contains(stage.word())) {
            registry.timer("gitops_sync_cycle_duration", "stage", stage.word()).record(took);
        }
    }

    @Override
    public void built(long cycleId, String commit, CiResult result) {
        result.counts().forEach((status, n) -> registry.counter("gitops_sync_ci_attributes", "status", status)
                .increment(n));
    }

    @Override
    public void cached(long cycleId, String commit, PushReport report) {
        for (CacheOutcome c : report.caches()) {
            if (c.status() == CacheOutcome.Status.PUSHED) {
                registry.counter("gitops_sync_cache_paths_pushed", "cache", c.cacheId()).increment(c.pushed());
            }
        }
    }

    @Override
    public void finished(CycleReport report) {
        if (report.outcome() == CycleOutcome.ABANDONED) {
            // closed by a later process: its "duration" would be how long the agent was down
            return;
        }
        store.cycle(report.cycleId()).filter(c -> c.finishedAt() != null).ifPresent(c -> registry
                .timer("gitops_sync_cycle_duration", "stage", "cycle")
                .record(Duration.between(c.startedAt(), c.finishedAt())));
    }

    /** The version the jar manifest carries, or {@code development} when run from classes. */
    public static String version() {
        String v = AgentMetrics.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
