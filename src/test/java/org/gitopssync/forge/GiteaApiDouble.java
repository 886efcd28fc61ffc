package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.testing.MutableClock;

/**
 * Gitea/Forgejo API v1 double: statuses, pulls, issue comments, the issue timeline (comments and label
 * changes) and collaborator permissions under /api/v1, token auth (the token's user administers the repository).
 */
final class GiteaApiDouble extends ApiDouble {

    private static final Pattern STATUSES = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/statuses/([0-9a-f]{40})");
    private static final Pattern PULLS = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/pulls");
    private static final Pattern ISSUE_COMMENTS = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments");
    private static final Pattern COMMENT = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/issues/comments/(\\d+)");
    private static final Pattern TIMELINE = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/issues/(\\d+)/timeline");
    private static final Pattern PERMISSION = Pattern.compile(
            "/api/v1/repos/([^/]+)/([^/]+)/collaborators/([^/]+)/permission");
    private static final Pattern REF_STATUSES = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/commits/([^/]+)/statuses");
    private static final Set<String> STATUS_FIELDS = Set.of("state", "target_url", "description", "context");
    private static final Set<String> STATES = Set.of("pending", "success", "error", "failure", "warning");

    /** A status Gitea accepted. */
    record Posted(String repository, String sha, JsonNode body) {
        String field(String name) {
            return body.path(name).isMissingNode() ? null : body.path(name).asText();
        }
    }

    private final String token;
    private final MutableClock clock;
    private final List<Posted> statuses = new ArrayList<>();
    /** What GET .../commits/{ref}/statuses serves, per repo@sha, by index (oldest first). */
    private final Map<String, List<ObjectNode>> served = new HashMap<>();
    private long nextStatusId = 1;
    private final Map<String, List<ObjectNode>> timeline = new HashMap<>();
    private final Map<String, String> permissions = new HashMap<>();
    private final Set<String> users = new HashSet<>();
    private final Map<String, List<ObjectNode>> pulls = new HashMap<>();
    private final Map<String, List<ObjectNode>> comments = new HashMap<>();
    private long nextCommentId = 1;

    GiteaApiDouble(String token) {
        this(token, MutableClock.atDefault());
    }

    GiteaApiDouble(String token, MutableClock clock) {
        this.token = token;
        this.clock = clock;
    }

    synchronized List<Posted> statuses() {
        return List.copyOf(statuses);
    }

    /** A status another host's agent posted now, as Gitea stores it ("status", not "state"). */
    synchronized void postedElsewhere(String repo, String sha, String context, String state, String description) {
        ObjectNode body = JSON.createObjectNode().put("state", state).put("context", context)
                .put("description", description);
        statuses.add(new Posted(repo, sha, body));
        serve(repo, sha, body);
    }

    private void serve(String repo, String sha, JsonNode body) {
        ObjectNode status = JSON.createObjectNode().put("id", nextStatusId++)
                .put("status", body.path("state").asText()).put("context", body.path("context").asText(""))
                .put("description", body.path("description").asText("")).put("target_url", body.path("target_url")
                        .asText("")).put("created_at", now()).put("updated_at", now());
        status.putObject("creator").put("login", "gitops-sync");
        served.computeIfAbsent(repo + "@" + sha, k -> new ArrayList<>()).add(status);
    }

    synchronized void addPullRequest(String repo, int number, String headSha, String headRef, String headRepo,
                                     String author) {
        ObjectNode pr = JSON.createObjectNode().put("number", number).put("state", "open");
        pr.putObject("user").put("login", author);
        ObjectNode head = pr.putObject("head").put("sha", headSha).put("ref", headRef).put("label", headRef);
        head.putObject("repo").put("full_name", headRepo);
        pr.putObject("base").put("ref", "main").putObject("repo").put("full_name", repo);
        pulls.computeIfAbsent(repo, k -> new ArrayList<>()).add(pr);
    }

    synchronized List<String> commentBodies(String repo, int number) {
        return comments.getOrDefault(repo + "#" + number, List.of()).stream().map(c -> c.path("body").asText())
                .toList();
    }

    synchronized void addComment(String repo, int number, String body) {
        addComment(repo, number, body, "gitops-sync");
    }

    /** A comment now by {@code author}; it shows in the timeline too, as type "comment". */
    synchronized void addComment(String repo, int number, String body, String author) {
        users.add(author);
        ObjectNode comment = JSON.createObjectNode().put("id", nextCommentId++).put("body", body)
                .put("created_at", now());
        comment.putObject("user").put("login", author);
        comments.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>()).add(comment);
        timeline.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>())
                .add(comment.deepCopy().put("type", "comment"));
    }

    /** {@code permission}: owner, admin, write or read, as Gitea's access modes are named. */
    synchronized void grant(String repo, String user, String permission) {
        users.add(user);
        permissions.put(repo + "/" + user, permission);
    }

    /** Gitea records a label change as a timeline comment of type "label", body "1" when added, "" when removed. */
    synchronized void label(String repo, int number, String label, String user, boolean added) {
        users.add(user);
        ObjectNode event = JSON.createObjectNode().put("id", nextCommentId++).put("type", "label")
                .put("body", added ? "1" : "").put("created_at", now());
        event.putObject("user").put("login", user);
        event.putObject("label").put("name", label);
        timeline.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>()).add(event);
    }

    /** Gitea writes RFC 3339 times with the server's offset. */
    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.ofHours(2)).toString();
    }

    @Override
    protected synchronized Reply route(Recorded request) {
        if (!("token " + token).equals(request.header("Authorization"))) {
            return Reply.json(401, Map.of("message", "user does not exist [uid: 0, name: ]"));
        }
        Matcher m;
        if ((m = STATUSES.matcher(request.rawPath())).matches() && request.method().equals("POST")) {
            JsonNode body = isJsonRequest(request) ? objectWithOnly(request, STATUS_FIELDS) : null;
            if (body == null || !STATES.contains(body.path("state").asText())) {
                return Reply.json(422, Map.of("message", "[State]: invalid state"));
            }
            statuses.add(new Posted(m.group(1) + "/" + m.group(2), m.group(3), body));
            serve(m.group(1) + "/" + m.group(2), m.group(3), body);
            return Reply.json(201, body);
        }
        if ((m = REF_STATUSES.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            // limit is capped at the server's MAX_RESPONSE_ITEMS (50)
            return page(capped(request, "limit", 50), served.getOrDefault(m.group(1) + "/" + m.group(2) + "@"
                    + m.group(3), List.of()), "limit", 30);
        }
        if ((m = PULLS.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            if (!"open".equals(request.query().get("state"))) {
                return Reply.json(422, Map.of("message", "this double only serves state=open"));
            }
            return page(request, pulls.getOrDefault(m.group(1) + "/" + m.group(2), List.of()), "limit", 30);
        }
        if ((m = ISSUE_COMMENTS.matcher(request.rawPath())).matches()) {
            String key = m.group(1) + "/" + m.group(2) + "#" + m.group(3);
            if (request.method().equals("GET")) {
                return Reply.json(200, comments.getOrDefault(key, List.of()));
            }
            if (request.method().equals("POST")) {
                JsonNode body = objectWithOnly(request, Set.of("body"));
                if (body == null || !body.path("body").isTextual()) {
                    return Reply.json(422, Map.of("message", "[Body]: Required"));
                }
                ObjectNode comment = JSON.createObjectNode().put("id", nextCommentId++)
                        .put("body", body.path("body").asText()).put("created_at", now());
                comment.putObject("user").put("login", "gitops-sync");
                comments.computeIfAbsent(key, k -> new ArrayList<>()).add(comment);
                return Reply.json(201, comment);
            }
        }
        if ((m = TIMELINE.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            return page(request, timeline.getOrDefault(m.group(1) + "/" + m.group(2) + "#" + m.group(3), List.of()),
                    "limit", 30);
        }
        if ((m = PERMISSION.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            String user = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
            if (!users.contains(user)) {
                return Reply.json(404, Map.of("message", "user redirect does not exist [name: " + user + "]"));
            }
            // Anyone may read a public repository; collaborators have their granted mode.
            String permission = permissions.getOrDefault(m.group(1) + "/" + m.group(2) + "/" + user, "read");
            ObjectNode answer = JSON.createObjectNode().put("permission", permission).put("role_name", permission);
            answer.putObject("user").put("login", user);
            return Reply.json(200, answer);
        }
        if ((m = COMMENT.matcher(request.rawPath())).matches() && request.method().equals("PATCH")) {
            JsonNode body = objectWithOnly(request, Set.of("body"));
            if (body == null || !body.path("body").isTextual()) {
                return Reply.json(422, Map.of("message", "[Body]: Required"));
            }
            for (List<ObjectNode> thread : comments.values()) {
                for (ObjectNode comment : thread) {
                    if (comment.path("id").asLong() == Long.parseLong(m.group(3))) {
                        comment.put("body", body.path("body").asText());
                        return Reply.json(200, comment);
                    }
                }
            }
        }
        return Reply.json(404, Map.of("message", "The target couldn't be found."));
    }
}
