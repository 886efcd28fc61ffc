package org.gitopssync.ci;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a CI run did: one result per attribute, how many derivations it built, and whether it was cancelled. */
public record CiResult(
        long runId,
        String branch,
        String commit,
        List<AttributeResult> attributes,
        int derivationsBuilt,
        Duration duration,
        String cancelReason) {

    /** The order counts are shown in: the interesting ones first, "cached" last. */
    private static final List<CiStatus> SUMMARY_ORDER = List.of(CiStatus.BUILT, CiStatus.FAILED,
            CiStatus.DEPENDENCY_FAILED, CiStatus.TIMED_OUT, CiStatus.EVAL_FAILED, CiStatus.SKIPPED_CACHED_FAILURE,
            CiStatus.CANCELLED, CiStatus.CACHED);

    public CiResult {
        attributes = List.copyOf(attributes);
    }

    /** Attributes per status, every status present (zero when none). */
    @JsonProperty("counts")
    public Map<String, Integer> counts() {
        Map<CiStatus, Integer> by = new EnumMap<>(CiStatus.class);
        for (CiStatus s : SUMMARY_ORDER) {
            by.put(s, 0);
        }
        attributes.forEach(a -> by.merge(a.status(), 1, Integer::sum));
        Map<String, Integer> out = new LinkedHashMap<>();
        SUMMARY_ORDER.forEach(s -> out.put(s.word(), by.get(s)));
        return out;
    }

    public int count(CiStatus status) {
        return (int) attributes.stream().filter(a -> a.status() == status).count();
    }

    /** "181 built, 2 failed, 17 cached" (zero counts left out). */
    @JsonProperty("summary")
    public String summary() {
        List<String> parts = new ArrayList<>();
        counts().forEach((word, n) -> {
            if (n > 0) {
                parts.add(n + " " + word);
            }
        });
        String s = parts.isEmpty() ? "nothing to build" : String.join(", ", parts);
        return cancelReason == null ? s : s + " (cancelled: " + cancelReason + ")";
    }

    /** Every attribute built or was already built, and the run was not cancelled. */
    @JsonProperty("succeeded")
    public boolean succeeded() {
        return cancelReason == null && attributes.stream().allMatch(a -> a.status().succeeded());
    }

    public boolean cancelled() {
        return cancelReason != null;
    }

    /** The attributes that failed in any way (cancelled ones are not failures). */
    public List<AttributeResult> failures() {
        return attributes.stream().filter(a -> a.status().failed()).toList();
    }

    /** The failed checks (and failed check sets). */
    public List<AttributeResult> failedChecks() {
        return failures().stream().filter(a -> a.target().kind() != CiTarget.Kind.SYSTEM).toList();
    }

    /** The store paths of every output that built or was already built, each once: what caches receive. */
    public List<String> successfulOutputs() {
        return attributes.stream().filter(a -> a.status().succeeded())
                .flatMap(a -> a.outputs().values().stream()).distinct().toList();
    }

    /** The result for a host's system, if the run included it. */
    public Optional<AttributeResult> system(String host) {
        return attributes.stream()
                .filter(a -> a.target().kind() == CiTarget.Kind.SYSTEM && a.target().name().equals(host))
                .findFirst();
    }

    /** Host to toplevel out path, for every system that built. */
    @JsonProperty("systems")
    public Map<String, String> systems() {
        Map<String, String> out = new LinkedHashMap<>();
        for (AttributeResult a : attributes) {
            if (a.target().kind() == CiTarget.Kind.SYSTEM && a.status().succeeded() && a.out() != null) {
                out.put(a.target().name(), a.out());
            }
        }
        return out;
    }

    /** Every failure with its reason and log tail, one block per attribute. */
    public String failureReport() {
        return failureReport(failures());
    }

    /** The given failures, one block per attribute: a message that counts them lists exactly these. */
    public static String failureReport(List<AttributeResult> failures) {
        List<String> blocks = new ArrayList<>();
        failures.forEach(a -> blocks.add(a.describeFailure()));
        return String.join("\n", blocks);
    }
}
