package org.gitopssync.fleet;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.forge.PostedStatus;
import org.gitopssync.forge.StatusContexts;
import org.gitopssync.forge.StatusState;
import org.gitopssync.source.GitSource;
import org.gitopssync.source.SourceException;

/**
 * {@code fleet status}: per host, the commit the forge shows it deployed last, how many commits of the
 * branch it is behind, what the release store released for it, and its last deploy outcome.
 */
public final class FleetStatus {

    /** How many commits of the branch, newest first, are asked of the forge: one request per commit, for every host. */
    public static final int SCAN = 50;
    /** Counting stops here: a host this far behind is shown as this many. */
    static final int MAX_BEHIND = 10_000;

    /** One host's line. Commits are full ids; {@code null} where nothing says (no forge, no record, not on the branch). */
    @JsonPropertyOrder({"host", "deployed", "behind", "released", "releasedBehind", "lastOutcome"})
    public record HostLine(String host, String deployed, Integer behind, String released, Integer releasedBehind,
            Outcome lastOutcome) {
    }

    /** The newest {@code gitops-sync/deploy/<host>} status among the scanned commits. */
    @JsonPropertyOrder({"state", "description", "commit", "at"})
    public record Outcome(String state, String description, String commit, Instant at) {
    }

    /** The table, and the branch head it was measured against. */
    public record Report(String branch, String head, List<HostLine> hosts) {

        public Report {
            hosts = List.copyOf(hosts);
        }
    }

    private final GitSource source;
    private final Optional<ReleaseStore> releases;
    private final Optional<Function<String, List<PostedStatus>>> statuses;

    /**
     * Reads the clone of {@code source} (never fetches: the agent's last fetch is the head), {@code releases}'
     * {@code latest} pointers and, per commit, the statuses the forge shows ({@code ForgeException} when it cannot).
     */
    public FleetStatus(GitSource source, Optional<ReleaseStore> releases,
            Optional<Function<String, List<PostedStatus>>> statuses) {
        this.source = source;
        this.releases = releases;
        this.statuses = statuses;
    }

    /**
     * The hosts a fleet status lists: {@code given} when not empty, else {@code ci.hosts} when it is a list of names,
     * else the hosts with a {@code latest} pointer in a store that can list them ({@code file://}), {@code fleet.after}
     * and this host unless it is a builder.
     */
    public static List<String> hostsOf(Settings settings, List<String> given, Optional<ReleaseStore> releases) {
        if (!given.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(given));
        }
        if (settings.ci().hosts().mode() == CiSettings.Hosts.Mode.LIST && !settings.ci().hosts().names().isEmpty()) {
            return settings.ci().hosts().names();
        }
        Set<String> hosts = new TreeSet<>();
        releases.ifPresent(r -> hosts.addAll(r.hosts()));
        hosts.addAll(settings.fleet().after());
        if (settings.fleet().role() != FleetSettings.Role.BUILDER) {
            hosts.add(settings.hostname());
        }
        if (hosts.isEmpty()) {
            throw new ConfigException(settings.file() + ": no fleet hosts to show: name them with --host, or list them"
                    + " in ci.hosts");
        }
        return List.copyOf(hosts);
    }

    /** The status of {@code hosts} against the clone's {@code ref} (the followed branch). */
    public Report read(String ref, List<String> hosts) {
        if (!Files.isDirectory(source.gitDir())) {
            throw new SourceException("no clone of the repository in " + source.gitDir() + " yet: fleet status counts"
                    + " commits there; run `gitops-sync sync` (or let the daemon run a cycle) first");
        }
        String head = source.resolve(ref).sha();
        Map<String, String> deployed = new HashMap<>();
        Map<String, Outcome> outcomes = new HashMap<>();
        if (statuses.isPresent()) {
            for (String sha : source.commitsSince(head, Optional.empty(), SCAN)) {
                Map<String, PostedStatus> byContext = new HashMap<>();
                statuses.get().apply(sha).forEach(s -> byContext.put(s.context(), s));
                for (String host : hosts) {
                    PostedStatus s = byContext.get(StatusContexts.deploy(host));
                    if (s == null) {
                        continue;
                    }
                    outcomes.putIfAbsent(host, new Outcome(s.state().name().toLowerCase(Locale.ROOT), s.description(),
                            sha, s.at()));
                    if (s.state() == StatusState.SUCCESS) {
                        deployed.putIfAbsent(host, sha);
                    }
                }
                if (deployed.keySet().containsAll(hosts)) {
                    break;
                }
            }
        }
        Map<String, Integer> behindCache = new HashMap<>();
        List<HostLine> lines = new ArrayList<>();
        for (String host : hosts) {
            String d = deployed.get(host);
            String r = releases.flatMap(store -> store.latest(host)).orElse(null);
            lines.add(new HostLine(host, d, behind(head, d, behindCache), r, behind(head, r, behindCache),
                    outcomes.get(host)));
        }
        return new Report(ref, head, lines);
    }

    /** Commits of the branch that {@code commit} lacks; null when it is not in the clone or not on the branch. */
    private Integer behind(String head, String commit, Map<String, Integer> cache) {
        if (commit == null) {
            return null;
        }
        return cache.computeIfAbsent(commit, c -> {
            if (!c.matches("[0-9a-f]{40}") || !source.hasCommit(c) || !source.descendsFrom(head, c)) {
                return null;
            }
            return source.commitsSince(head, Optional.of(c), MAX_BEHIND).size();
        });
    }

    /** The report as an aligned text table, one line per host; {@code -} where nothing says. */
    public static String table(Report report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "DEPLOYED", "BEHIND", "RELEASED", "LAST OUTCOME"});
        for (HostLine l : report.hosts()) {
            Outcome o = l.lastOutcome();
            rows.add(new String[] {l.host(), abbrev(l.deployed()), l.behind() == null ? "-" : l.behind().toString(),
                abbrev(l.released()), o == null ? "-" : o.state() + " on " + abbrev(o.commit())
                        + (o.description() == null || o.description().isBlank() ? "" : ": " + o.description())});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder("branch " + report.branch() + " at " + abbrev(report.head())
                + " (the clone's last fetch)\n");
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static String abbrev(String sha) {
        return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
    }
}
