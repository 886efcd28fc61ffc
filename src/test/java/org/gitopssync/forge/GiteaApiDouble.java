package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Gitea/Forgejo API v1 double: statuses, pulls and issue comments under /api/v1, token auth. */
final class GiteaApiDouble extends ApiDouble {

    private static final Pattern STATUSES = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/statuses/([0-9a-f]{40})");
    private static final Pattern PULLS = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/pulls");
    private static final Pattern ISSUE_COMMENTS = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments");
    private static final Pattern COMMENT = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/issues/comments/(\\d+)");
    private static final Set<String> STATUS_FIELDS = Set.of("state", "target_url", "description", "context");
    private static final Set<String> STATES = Set.of("pending", "success", "error", "failure", "warning");

    /** A status Gitea accepted. */
    record Posted(String repository, String sha, JsonNode body) {
        String field(String name) {
            return body.path(name).isMissingNode() ? null : body.path(name).asText();
        }
    }

    private final String token;
    private final List<Posted> statuses = new ArrayList<>();
    private final Map<String, List<ObjectNode>> pulls = new HashMap<>();
    private final Map<String, List<ObjectNode>> comments = new HashMap<>();
    private long nextCommentId = 1;

    GiteaApiDouble(String token) {
        this.token = token;
    }

    synchronized List<Posted> statuses() {
        return List.copyOf(statuses);
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
        comments.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>())
                .add(JSON.createObjectNode().put("id", nextCommentId++).put("body", body));
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
            return Reply.json(201, body);
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
                        .put("body", body.path("body").asText());
                comments.computeIfAbsent(key, k -> new ArrayList<>()).add(comment);
                return Reply.json(201, comment);
            }
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
