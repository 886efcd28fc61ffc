package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.testing.MutableClock;

/**
 * GitHub REST double: statuses, pulls, issue comments, issue label events, collaborator permissions and
 * App installation tokens, checked as GitHub documents them.
 */
final class GitHubApiDouble extends ApiDouble {

    private static final Pattern STATUSES = Pattern.compile("/repos/([^/]+)/([^/]+)/statuses/([0-9a-f]{40})");
    private static final Pattern PULLS = Pattern.compile("/repos/([^/]+)/([^/]+)/pulls");
    private static final Pattern REF_STATUSES = Pattern.compile("/repos/([^/]+)/([^/]+)/commits/([^/]+)/statuses");
    private static final Pattern ISSUE_COMMENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments");
    private static final Pattern COMMENT = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/comments/(\\d+)");
    private static final Pattern ISSUE_EVENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/events");
    private static final Pattern PERMISSION = Pattern.compile("/repos/([^/]+)/([^/]+)/collaborators/([^/]+)/permission");
    /** role_name -> permission: GitHub's legacy permission field folds maintain into write and triage into read. */
    private static final Map<String, String> PERMISSION_OF_ROLE = Map.of("admin", "admin", "maintain", "write",
            "write", "write", "triage", "read", "read", "read");
    private static final Pattern ACCESS_TOKENS = Pattern.compile("/app/installations/(\\d+)/access_tokens");
    private static final Set<String> STATUS_FIELDS = Set.of("state", "target_url", "description", "context");
    private static final Set<String> STATES = Set.of("pending", "success", "failure", "error");
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    /** A status GitHub accepted, with the token that posted it. */
    record Posted(String repository, String sha, JsonNode body, String token) {
        String field(String name) {
            return body.path(name).isMissingNode() ? null : body.path(name).asText();
        }
    }

    private final MutableClock clock;
    private final Set<String> personalTokens = new java.util.HashSet<>();
    private final List<Posted> statuses = new ArrayList<>();
    /** What GET .../commits/{ref}/statuses serves, per repo@sha, oldest first as posted. */
    private final Map<String, List<ObjectNode>> served = new HashMap<>();
    private long nextStatusId = 9000;
    private final Map<String, List<ObjectNode>> pulls = new HashMap<>();
    private final Map<String, List<ObjectNode>> comments = new HashMap<>();
    private final Map<String, Instant> installationTokens = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> issueEvents = new HashMap<>();
    private final Map<String, String> roles = new HashMap<>();
    private long nextEventId = 5000;
    private long nextCommentId = 1000;
    private String appId;
    private PublicKey appKey;
    private long installationId;

    GitHubApiDouble(MutableClock clock, String personalToken) {
        this.clock = clock;
        personalTokens.add(personalToken);
    }

    synchronized void installApp(String id, PublicKey publicKey, long installation) {
        this.appId = id;
        this.appKey = publicKey;
        this.installationId = installation;
    }

    synchronized List<Posted> statuses() {
        return List.copyOf(statuses);
    }

    /** A status another host's agent posted now (a canary's deploy status, say), as GitHub stores it. */
    synchronized void postedElsewhere(String repo, String sha, String context, String state, String description) {
        ObjectNode body = JSON.createObjectNode().put("state", state).put("context", context)
                .put("description", description);
        statuses.add(new Posted(repo, sha, body, "another-agent"));
        serve(repo, sha, body);
    }

    private void serve(String repo, String sha, JsonNode body) {
        ObjectNode status = JSON.createObjectNode().put("id", nextStatusId++)
                .put("state", body.path("state").asText()).put("context", body.path("context").asText("default"));
        status.set("description", body.path("description").isMissingNode() ? JSON.nullNode() : body.path("description"));
        status.set("target_url", body.path("target_url").isMissingNode() ? JSON.nullNode() : body.path("target_url"));
        status.put("created_at", now()).put("updated_at", now());
        status.putObject("creator").put("login", "gitops-sync");
        served.computeIfAbsent(repo + "@" + sha, k -> new ArrayList<>()).add(status);
    }

    synchronized List<String> issuedTokens() {
        return List.copyOf(installationTokens.keySet());
    }

    synchronized void addPullRequest(String repo, int number, String headSha, String headRef, String headRepo,
                                     String author) {
        ObjectNode pr = JSON.createObjectNode().put("number", number).put("state", "open");
        pr.putObject("user").put("login", author);
        ObjectNode head = pr.putObject("head").put("sha", headSha).put("ref", headRef);
        if (headRepo == null) {
            head.putNull("repo");
        } else {
            head.putObject("repo").put("full_name", headRepo);
        }
        pr.putObject("base").put("ref", "main").put("sha", "0".repeat(39) + "1").putObject("repo")
                .put("full_name", repo);
        pulls.computeIfAbsent(repo, k -> new ArrayList<>()).add(pr);
    }

    synchronized void addComment(String repo, int number, String body, String author) {
        ObjectNode comment = JSON.createObjectNode().put("id", nextCommentId++).put("body", body)
                .put("created_at", now());
        comment.putObject("user").put("login", author);
        comments.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>()).add(comment);
    }

    /** {@code role}: admin, maintain, write, triage or read, as a repository role is named. */
    synchronized void grant(String repo, String user, String role) {
        roles.put(repo + "/" + user.toLowerCase(Locale.ROOT), role);
    }

    /** A "labeled" issue event now, by {@code actor}. */
    synchronized void label(String repo, int number, String label, String actor) {
        labelEvent(repo, number, "labeled", label, actor);
    }

    synchronized void unlabel(String repo, int number, String label, String actor) {
        labelEvent(repo, number, "unlabeled", label, actor);
    }

    private void labelEvent(String repo, int number, String event, String label, String actor) {
        ObjectNode e = JSON.createObjectNode().put("id", nextEventId++).put("event", event).put("created_at", now());
        e.putObject("actor").put("login", actor);
        e.putObject("label").put("name", label).put("color", "0e8a16");
        issueEvents.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>()).add(e);
    }

    /** GitHub writes times in whole seconds, UTC. */
    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    synchronized List<String> commentBodies(String repo, int number) {
        return comments.getOrDefault(repo + "#" + number, List.of()).stream().map(c -> c.path("body").asText())
                .toList();
    }

    @Override
    protected synchronized Reply route(Recorded request) {
        if (!"application/vnd.github+json".equals(request.header("Accept"))
                || !"2022-11-28".equals(request.header("X-GitHub-Api-Version"))) {
            return Reply.json(400, Map.of("message", "Unsupported Accept or API version header"));
        }
        Matcher m = ACCESS_TOKENS.matcher(request.rawPath());
        if (m.matches() && request.method().equals("POST")) {
            return accessToken(request, Long.parseLong(m.group(1)));
        }
        String token = bearer(request);
        if (token == null || !(personalTokens.contains(token) || isLiveInstallationToken(token))) {
            return Reply.json(401, Map.of("message", "Bad credentials"));
        }
        if ((m = STATUSES.matcher(request.rawPath())).matches() && request.method().equals("POST")) {
            return status(request, m.group(1) + "/" + m.group(2), m.group(3), token);
        }
        if ((m = REF_STATUSES.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            // reverse chronological order: the first status is the latest; per_page is capped at 100
            List<ObjectNode> all = new ArrayList<>(served.getOrDefault(m.group(1) + "/" + m.group(2) + "@" + m.group(3),
                    List.of()));
            Collections.reverse(all);
            return page(capped(request, "per_page", 100), all, "per_page", 30);
        }
        if ((m = PULLS.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            if (!"open".equals(request.query().get("state"))) {
                return Reply.json(422, Map.of("message", "this double only serves state=open"));
            }
            return page(request, pulls.getOrDefault(m.group(1) + "/" + m.group(2), List.of()), "per_page", 30);
        }
        if ((m = ISSUE_COMMENTS.matcher(request.rawPath())).matches()) {
            String key = m.group(1) + "/" + m.group(2) + "#" + m.group(3);
            if (request.method().equals("GET")) {
                return page(request, comments.getOrDefault(key, List.of()), "per_page", 30);
            }
            if (request.method().equals("POST")) {
                JsonNode body = objectWithOnly(request, Set.of("body"));
                if (body == null || !body.path("body").isTextual()) {
                    return Reply.json(422, Map.of("message", "Invalid request"));
                }
                ObjectNode comment = JSON.createObjectNode().put("id", nextCommentId++)
                        .put("body", body.path("body").asText()).put("created_at", now());
                comment.putObject("user").put("login", "gitops-sync[bot]");
                comments.computeIfAbsent(key, k -> new ArrayList<>()).add(comment);
                return Reply.json(201, comment);
            }
        }
        if ((m = ISSUE_EVENTS.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            return page(request, issueEvents.getOrDefault(m.group(1) + "/" + m.group(2) + "#" + m.group(3),
                    List.of()), "per_page", 30);
        }
        if ((m = PERMISSION.matcher(request.rawPath())).matches() && request.method().equals("GET")) {
            String user = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
            // A public repository: everyone who is not a collaborator can read it.
            String role = roles.getOrDefault(m.group(1) + "/" + m.group(2) + "/" + user.toLowerCase(Locale.ROOT),
                    "read");
            ObjectNode answer = JSON.createObjectNode().put("permission", PERMISSION_OF_ROLE.get(role))
                    .put("role_name", role);
            answer.putObject("user").put("login", user);
            return Reply.json(200, answer);
        }
        if ((m = COMMENT.matcher(request.rawPath())).matches() && request.method().equals("PATCH")) {
            JsonNode body = objectWithOnly(request, Set.of("body"));
            if (body == null || !body.path("body").isTextual()) {
                return Reply.json(422, Map.of("message", "Invalid request"));
            }
            long id = Long.parseLong(m.group(3));
            for (List<ObjectNode> thread : comments.values()) {
                for (ObjectNode comment : thread) {
                    if (comment.path("id").asLong() == id) {
                        comment.put("body", body.path("body").asText());
                        return Reply.json(200, comment);
                    }
                }
            }
        }
        return Reply.json(404, Map.of("message", "Not Found"));
    }

    private Reply status(Recorded request, String repo, String sha, String token) {
        JsonNode body = isJsonRequest(request) ? objectWithOnly(request, STATUS_FIELDS) : null;
        if (body == null || !STATES.contains(body.path("state").asText())) {
            return Reply.json(422, Map.of("message", "Validation Failed"));
        }
        if (body.has("description") && codePoints(body.path("description").asText()) > 140) {
            return Reply.json(422, Map.of("message", "Validation Failed: description is too long (maximum is 140 characters)"));
        }
        statuses.add(new Posted(repo, sha, body, token));
        serve(repo, sha, body);
        return Reply.json(201, body);
    }

    private Reply accessToken(Recorded request, long installation) {
        String jwt = bearer(request);
        if (appKey == null || installation != installationId) {
            return Reply.json(404, Map.of("message", "Not Found"));
        }
        String problem = jwt == null ? "missing JWT" : jwtProblem(jwt);
        if (problem != null) {
            return Reply.json(401, Map.of("message", problem));
        }
        String token = "ghs_" + (installationTokens.size() + 1);
        Instant expires = clock.instant().plus(TOKEN_LIFETIME);
        installationTokens.put(token, expires);
        return Reply.json(201, Map.of("token", token, "expires_at", expires.toString(),
                "permissions", Map.of("statuses", "write")));
    }

    /** GitHub: RS256, iss = app id, iat in the past, exp at most ten minutes ahead. */
    private String jwtProblem(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "A JSON web token could not be decoded";
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(appKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!"RS256".equals(header.path("alg").asText()) || !rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "A JSON web token could not be decoded";
            }
            long now = clock.instant().getEpochSecond();
            if (!appId.equals(claims.path("iss").asText())) {
                return "'Issuer' claim ('iss') must be an Integer or the client ID";
            }
            if (!claims.path("iat").isIntegralNumber() || claims.path("iat").asLong() > now) {
                return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
            }
            if (!claims.path("exp").isIntegralNumber() || claims.path("exp").asLong() <= now
                    || claims.path("exp").asLong() > now + 600) {
                return "'Expiration time' claim ('exp') is too far in the future or already past";
            }
            return null;
        } catch (Exception e) {
            return "A JSON web token could not be decoded";
        }
    }

    private boolean isLiveInstallationToken(String token) {
        Instant expires = installationTokens.get(token);
        return expires != null && clock.instant().isBefore(expires);
    }

    private static String bearer(Recorded request) {
        String auth = request.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }
}
