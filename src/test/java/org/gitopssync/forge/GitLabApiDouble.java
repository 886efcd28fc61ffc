package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.testing.MutableClock;

/**
 * GitLab API v4 double: commit statuses (with GitLab's refusal to repeat a state), merge requests, notes,
 * resource label events and project members (with inherited ones under members/all).
 * Projects are addressed by id or url-encoded path, as one path segment. Invalid parameters get 400, as on GitLab.
 */
final class GitLabApiDouble extends ApiDouble {

    private static final Pattern STATUSES = Pattern.compile("/api/v4/projects/([^/]+)/statuses/([0-9a-f]{40})");
    private static final Pattern COMMIT_STATUSES = Pattern.compile(
            "/api/v4/projects/([^/]+)/repository/commits/([0-9a-f]{40})/statuses");
    private static final Set<String> FINISHED = Set.of("success", "failed", "canceled", "skipped");
    private static final Pattern MERGE_REQUESTS = Pattern.compile("/api/v4/projects/([^/]+)/merge_requests");
    private static final Pattern NOTES = Pattern.compile("/api/v4/projects/([^/]+)/merge_requests/(\\d+)/notes");
    private static final Pattern NOTE = Pattern.compile("/api/v4/projects/([^/]+)/merge_requests/(\\d+)/notes/(\\d+)");
    private static final Pattern LABEL_EVENTS = Pattern.compile(
            "/api/v4/projects/([^/]+)/merge_requests/(\\d+)/resource_label_events");
    private static final Pattern MEMBER = Pattern.compile("/api/v4/projects/([^/]+)/members/all/(\\d+)");
    private static final Set<String> STATUS_FIELDS = Set.of("state", "ref", "name", "context", "target_url",
            "description", "coverage", "pipeline_id");
    private static final Map<String, String> TRANSITION = Map.of("pending", "enqueue", "running", "run",
            "success", "succeed", "failed", "drop", "canceled", "cancel", "skipped", "skip");

    /** A status GitLab accepted; {@code project} is the decoded id or path. */
    record Posted(String project, String sha, JsonNode body) {
        String field(String name) {
            return body.path(name).isMissingNode() ? null : body.path(name).asText();
        }
    }

    private final String token;
    private final List<Posted> statuses = new ArrayList<>();
    private final Map<String, String> currentState = new HashMap<>();
    /** Every status object per project@sha, oldest first; a finished one is replaced by a new one (a retry). */
    private final Map<String, List<ObjectNode>> served = new HashMap<>();
    private long nextStatusId = 3000;
    private final Map<String, List<ObjectNode>> mergeRequests = new HashMap<>();
    private final Map<String, List<ObjectNode>> notes = new HashMap<>();
    private final Map<String, List<ObjectNode>> labelEvents = new HashMap<>();
    private final Map<String, ObjectNode> members = new HashMap<>();
    private final Map<String, Long> userIds = new HashMap<>();
    private static final DateTimeFormatter TIMES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private final MutableClock clock;
    private long nextNoteId = 500;
    private long nextEventId = 700;

    GitLabApiDouble(String token) {
        this(token, MutableClock.atDefault());
    }

    GitLabApiDouble(String token, MutableClock clock) {
        this.token = token;
        this.clock = clock;
    }

    /** {@code accessLevel}: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner. */
    synchronized void addMember(String project, String username, int accessLevel) {
        members.put(project + "/" + userId(username), JSON.createObjectNode().put("id", userId(username))
                .put("username", username).put("access_level", accessLevel).put("state", "active"));
    }

    /** A note now by {@code username}. */
    synchronized void addNote(String project, int iid, String body, String username) {
        ObjectNode note = JSON.createObjectNode().put("id", nextNoteId++).put("body", body).put("system", false)
                .put("created_at", now());
        note.set("author", user(username));
        notes.computeIfAbsent(project + "!" + iid, k -> new ArrayList<>()).add(note);
    }

    /** A resource label event now: {@code add} or {@code remove}. */
    synchronized void labelEvent(String project, int iid, String label, String username, boolean added) {
        ObjectNode event = JSON.createObjectNode().put("id", nextEventId++).put("created_at", now())
                .put("resource_type", "MergeRequest").put("resource_id", 9000 + iid)
                .put("action", added ? "add" : "remove");
        event.set("user", user(username));
        event.putObject("label").put("id", Math.abs(label.hashCode() % 1000)).put("name", label);
        labelEvents.computeIfAbsent(project + "!" + iid, k -> new ArrayList<>()).add(event);
    }

    private long userId(String username) {
        return userIds.computeIfAbsent(username, u -> 100L + userIds.size());
    }

    private ObjectNode user(String username) {
        return JSON.createObjectNode().put("id", userId(username)).put("username", username)
                .put("name", username);
    }

    /** GitLab writes times in UTC with milliseconds. */
    private String now() {
        return TIMES.format(clock.instant());
    }

    synchronized List<Posted> statuses() {
        return List.copyOf(statuses);
    }

    synchronized void addMergeRequest(String project, int iid, String sha, String sourceBranch, long sourceProject,
                                      long targetProject, String author) {
        ObjectNode mr = JSON.createObjectNode().put("iid", iid).put("id", 9000 + iid).put("state", "opened")
                .put("sha", sha).put("source_branch", sourceBranch).put("target_branch", "main")
                .put("source_project_id", sourceProject).put("target_project_id", targetProject);
        mr.putObject("author").put("username", author);
        mergeRequests.computeIfAbsent(project, k -> new ArrayList<>()).add(mr);
    }

    synchronized void addSystemNote(String project, int iid, String body) {
        notes.computeIfAbsent(project + "!" + iid, k -> new ArrayList<>())
                .add(JSON.createObjectNode().put("id", nextNoteId++).put("body", body).put("system", true));
    }

    synchronized List<String> noteBodies(String project, int iid) {
        return notes.getOrDefault(project + "!" + iid, List.of()).stream()
                .filter(n -> !n.path("system").asBoolean()).map(n -> n.path("body").asText()).toList();
    }

    @Override
    protected synchronized Reply route(Recorded request) {
        if (!token.equals(request.header("PRIVATE-TOKEN"))) {
            return Reply.json(401, Map.of("message", "401 Unauthorized"));
        }
        Matcher m;
        if ((m = STATUSES.matcher(request.rawPath())).matches() && request.method().equals("POST")) {
            return status(request, decode(m.group(1)), m.group(2));
        }
        if ((m = COMMIT_STATUSES.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            List<ObjectNode> all = served.getOrDefault(decode(m.group(1)) + "@" + m.group(2), List.of());
            if (!"true".equals(request.query().get("all"))) {
                // without all=true, only the latest status of each name
                Map<String, ObjectNode> latest = new LinkedHashMap<>();
                all.forEach(st -> latest.put(st.path("name").asText(), st));
                all = new ArrayList<>(latest.values());
            }
            return page(capped(request, "per_page", 100), all, "per_page", 20);
        }
        if ((m = MERGE_REQUESTS.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            if (!"opened".equals(request.query().get("state"))) {
                return Reply.json(400, Map.of("error", "state does not have a valid value"));
            }
            return page(request, mergeRequests.getOrDefault(decode(m.group(1)), List.of()), "per_page", 20);
        }
        if ((m = NOTES.matcher(request.rawPath())).matches()) {
            String key = decode(m.group(1)) + "!" + m.group(2);
            if (request.method().equals("GET")) {
                return page(request, notes.getOrDefault(key, List.of()), "per_page", 20);
            }
            if (request.method().equals("POST")) {
                JsonNode body = objectWithOnly(request, Set.of("body", "internal", "created_at", "merge_request_diff_head_sha"));
                if (body == null || !body.path("body").isTextual()) {
                    return Reply.json(400, Map.of("error", "body is missing"));
                }
                ObjectNode note = JSON.createObjectNode().put("id", nextNoteId++).put("body", body.path("body").asText())
                        .put("system", false).put("created_at", now());
                note.set("author", user("gitops-sync-bot"));
                notes.computeIfAbsent(key, k -> new ArrayList<>()).add(note);
                return Reply.json(201, note);
            }
        }
        if ((m = LABEL_EVENTS.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            return page(request, labelEvents.getOrDefault(decode(m.group(1)) + "!" + m.group(2), List.of()),
                    "per_page", 20);
        }
        if ((m = MEMBER.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            ObjectNode member = members.get(decode(m.group(1)) + "/" + m.group(2));
            return member == null ? Reply.json(404, Map.of("message", "404 Not found")) : Reply.json(200, member);
        }
        if ((m = NOTE.matcher(request.rawPath())).matches() && request.method().equals("PUT")) {
            JsonNode body = objectWithOnly(request, Set.of("body"));
            if (body == null || !body.path("body").isTextual()) {
                return Reply.json(400, Map.of("error", "body is missing"));
            }
            for (ObjectNode note : notes.getOrDefault(decode(m.group(1)) + "!" + m.group(2), List.of())) {
                if (note.path("id").asLong() == Long.parseLong(m.group(3)) && !note.path("system").asBoolean()) {
                    note.put("body", body.path("body").asText());
                    return Reply.json(200, note);
                }
            }
        }
        return Reply.json(404, Map.of("message", "404 Not found"));
    }

    private Reply status(Recorded request, String project, String sha) {
        JsonNode body = isJsonRequest(request) ? objectWithOnly(request, STATUS_FIELDS) : null;
        if (body == null) {
            return Reply.json(400, Map.of("error", "unknown parameter"));
        }
        String state = body.path("state").asText();
        if (!TRANSITION.containsKey(state)) {
            return Reply.json(400, Map.of("error", "state does not have a valid value"));
        }
        if (body.has("description") && codePoints(body.path("description").asText()) > 255) {
            return Reply.json(400, Map.of("message", Map.of("description", List.of("is too long (maximum is 255 characters)"))));
        }
        String key = project + "@" + sha + "/" + body.path("name").asText("default");
        if (state.equals(currentState.get(key))) {
            return Reply.json(400, Map.of("message", "Cannot transition status via :" + TRANSITION.get(state)
                    + " from :" + state));
        }
        currentState.put(key, state);
        statuses.add(new Posted(project, sha, body));
        serve(project, sha, body);
        return Reply.json(201, body);
    }

    /** A status another host's agent posted now, through the same transitions. */
    synchronized void postedElsewhere(String project, String sha, String name, String state, String description) {
        ObjectNode body = JSON.createObjectNode().put("state", state).put("name", name).put("description", description);
        currentState.put(project + "@" + sha + "/" + name, state);
        statuses.add(new Posted(project, sha, body));
        serve(project, sha, body);
    }

    /** GitLab moves one status object through pending and running; a finished one is followed by a new object. */
    private void serve(String project, String sha, JsonNode body) {
        String name = body.path("name").asText(body.path("context").asText("default"));
        List<ObjectNode> list = served.computeIfAbsent(project + "@" + sha, k -> new ArrayList<>());
        ObjectNode current = null;
        for (ObjectNode st : list) {
            if (st.path("name").asText().equals(name) && !FINISHED.contains(st.path("status").asText())) {
                current = st;
            }
        }
        if (current == null) {
            current = JSON.createObjectNode().put("id", nextStatusId++).put("sha", sha)
                    .put("ref", body.path("ref").asText("main")).put("name", name).put("created_at", now());
            current.putNull("started_at");
            current.putNull("finished_at");
            current.set("author", user("gitops-sync-bot"));
            list.add(current);
        }
        String state = body.path("state").asText();
        current.put("status", state).put("description", body.path("description").asText(""));
        if (state.equals("running")) {
            current.put("started_at", now());
        }
        if (FINISHED.contains(state)) {
            current.put("finished_at", now());
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
