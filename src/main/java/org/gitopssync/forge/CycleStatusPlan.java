package org.gitopssync.forge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the stages of one cycle into commit statuses: aggregate contexts for eval, build, cache and each
 * deployed host, plus a capped set of per-attribute contexts for failed builds. A later run of the same
 * commit flips the per-attribute failures it no longer has back to success.
 */
public final class CycleStatusPlan {

    public static final int DEFAULT_ATTRIBUTE_CAP = 40;
    /** Commits whose per-attribute failure contexts are remembered; older ones are forgotten first. */
    private static final int REMEMBERED_COMMITS = 512;

    private record CommitKey(String repository, String sha) {
    }

    private final StatusSink sink;
    private final int attributeCap;
    private final Map<CommitKey, Set<String>> failedContexts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CommitKey, Set<String>> eldest) {
            return size() > REMEMBERED_COMMITS;
        }
    };

    public CycleStatusPlan(StatusSink sink, int attributeCap) {
        if (attributeCap < 0) {
            throw new IllegalArgumentException("attribute cap must not be negative");
        }
        this.sink = sink;
        this.attributeCap = attributeCap;
    }

    public CycleStatusPlan(StatusSink sink) {
        this(sink, DEFAULT_ATTRIBUTE_CAP);
    }

    public void evaluation(ReportedCommit commit, StatusState state, String description, String targetUrl) {
        post(commit, StatusContexts.EVAL, state, description, targetUrl);
    }

    public void cache(ReportedCommit commit, StatusState state, String description, String targetUrl) {
        post(commit, StatusContexts.CACHE, state, description, targetUrl);
    }

    /** A pull request's plan: which hosts' systems it changes. */
    public void plan(ReportedCommit commit, StatusState state, String description, String targetUrl) {
        post(commit, StatusContexts.PLAN, state, description, targetUrl);
    }

    public void deploy(ReportedCommit commit, String host, StatusState state, String description, String targetUrl) {
        post(commit, StatusContexts.deploy(host), state, description, targetUrl);
    }

    /** The build is under way: only the aggregate context, with the counts so far. */
    public void buildProgress(ReportedCommit commit, BuildTally soFar, String targetUrl) {
        post(commit, StatusContexts.BUILD, StatusState.RUNNING, "building: " + soFar.summary(), targetUrl);
    }

    /** The build never finished (the cycle failed or was cancelled before it could): close the aggregate context. */
    public void buildStopped(ReportedCommit commit, StatusState state, String description, String targetUrl) {
        post(commit, StatusContexts.BUILD, state, description, targetUrl);
    }

    /** The build ended: per-attribute failures (capped), flip-backs for fixed ones, then the aggregate. */
    public synchronized void buildFinished(ReportedCommit commit, BuildTally tally, String targetUrl) {
        CommitKey key = new CommitKey(commit.repository().fullName(), commit.sha());
        Set<String> posted = failedContexts.computeIfAbsent(key, k -> new LinkedHashSet<>());
        Set<String> failingNow = new HashSet<>();
        tally.failures().forEach(f -> failingNow.add(f.attribute()));

        for (String attribute : new ArrayList<>(posted)) {
            if (!failingNow.contains(attribute)) {
                post(commit, StatusContexts.buildAttribute(attribute), StatusState.SUCCESS, "builds now", targetUrl);
                posted.remove(attribute);
            }
        }
        int notShown = 0;
        for (BuildTally.AttributeFailure failure : tally.failures()) {
            if (posted.contains(failure.attribute()) || posted.size() < attributeCap) {
                posted.add(failure.attribute());
                String description = failure.description() == null ? "build failed" : failure.description();
                String link = failure.logUrl() == null ? targetUrl : failure.logUrl();
                post(commit, StatusContexts.buildAttribute(failure.attribute()), StatusState.FAILURE, description,
                        link);
            } else {
                notShown++;
            }
        }
        if (posted.isEmpty()) {
            failedContexts.remove(key);
        }
        String summary = tally.summary() + (notShown == 0 ? "" : " (" + notShown + " not listed)");
        post(commit, StatusContexts.BUILD, tally.succeeded() ? StatusState.SUCCESS : StatusState.FAILURE, summary,
                targetUrl);
    }

    /** Per-attribute failure contexts currently standing for a commit, for tests and diagnostics. */
    synchronized List<String> standingFailures(ReportedCommit commit) {
        Set<String> posted = failedContexts.get(new CommitKey(commit.repository().fullName(), commit.sha()));
        return posted == null ? List.of() : List.copyOf(posted);
    }

    private void post(ReportedCommit commit, String context, StatusState state, String description, String url) {
        sink.submit(commit.repository(),
                new CommitStatus(commit.sha(), context, state, description, url, commit.branch()));
    }
}
