package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Approvals on GitHub and Gitea/Forgejo, which share the issues API: the label from the issue's label
 * events (GitHub {@code GET /repos/{o}/{r}/issues/{n}/events}, Gitea {@code .../issues/{n}/timeline}),
 * approve comments from {@code .../issues/{n}/comments}, and each approver's role from
 * {@code GET /repos/{o}/{r}/collaborators/{user}/permission}.
 */
final class IssueApprovals implements PullRequestApprovals {

    private final ForgeHttp http;
    private final String labelEvents;
    private final Function<JsonNode, LabelHistory.Change> labelChange;
    private final String pageQuery;
    private final Set<String> writerRoles;

    private IssueApprovals(ForgeHttp http, String labelEvents, Function<JsonNode, LabelHistory.Change> labelChange,
                           String pageQuery, Set<String> writerRoles) {
        this.http = http;
        this.labelEvents = labelEvents;
        this.labelChange = labelChange;
        this.pageQuery = pageQuery;
        this.writerRoles = writerRoles;
    }

    /** GitHub: {@code role_name} admin, maintain or write ({@code permission} folds maintain into write). */
    static IssueApprovals gitHub(ForgeHttp http) {
        return new IssueApprovals(http, "events", IssueApprovals::gitHubLabelEvent, "per_page=100",
                Set.of("admin", "maintain", "write"));
    }

    /** Gitea and Forgejo: {@code permission} owner, admin or write. */
    static IssueApprovals gitea(ForgeHttp http) {
        return new IssueApprovals(http, "timeline", IssueApprovals::giteaTimelineEvent, "limit=50",
                Set.of("owner", "admin", "write"));
    }

    @Override
    public List<Approval> approvals(RepositoryCoordinates repository, int number, String label,
                                    Predicate<Approval> wanted) {
        if (!repository.isOwnerAndName()) {
            throw ForgeException.misconfigured(http.kind(), repository.fullName(), "repositories are owner/name");
        }
        String repo = "/repos/" + RepositoryCoordinates.encode(repository.owner()) + "/"
                + RepositoryCoordinates.encode(repository.name());
        String issue = repo + "/issues/" + number;
        ForgeHttp.Target target = ForgeHttp.Target.of("approvals of pull request #" + number, repository);

        List<LabelHistory.Change> changes = new ArrayList<>();
        for (JsonNode event : Pages.all(http, issue + "/" + labelEvents + "?" + pageQuery, target)) {
            LabelHistory.Change change = labelChange.apply(event);
            if (change != null) {
                changes.add(change);
            }
        }
        List<Approval> candidates = new ArrayList<>();
        LabelHistory.current(changes, label).ifPresent(c ->
                candidates.add(new Approval(Approval.Kind.LABEL, c.user(), c.at(), null)));
        for (JsonNode comment : Pages.all(http, issue + "/comments?" + pageQuery, target)) {
            String user = comment.path("user").path("login").asText(null);
            Instant at = instant(comment.path("created_at"));
            if (user != null && at != null) {
                ApproveCommand.parse(comment.path("body").asText(null))
                        .ifPresent(named -> candidates.add(ApproveCommand.approval(user, at, named)));
            }
        }
        Map<String, Boolean> writers = new HashMap<>();
        return candidates.stream().filter(wanted)
                .filter(a -> writers.computeIfAbsent(a.user(), u -> canWrite(repo, u, target)))
                .toList();
    }

    private boolean canWrite(String repo, String user, ForgeHttp.Target target) {
        JsonNode answer;
        try {
            answer = http.readJson(http.get(repo + "/collaborators/" + RepositoryCoordinates.encode(user)
                    + "/permission", target), target);
        } catch (ForgeException e) {
            if (e.httpStatus() == 404) {
                return false;
            }
            throw e;
        }
        return writerRoles.contains(answer.path("role_name").asText(""))
                || writerRoles.contains(answer.path("permission").asText(""));
    }

    private static LabelHistory.Change gitHubLabelEvent(JsonNode event) {
        String kind = event.path("event").asText("");
        if (!kind.equals("labeled") && !kind.equals("unlabeled")) {
            return null;
        }
        String user = event.path("actor").path("login").asText(null);
        Instant at = instant(event.path("created_at"));
        return user == null || at == null ? null : new LabelHistory.Change(event.path("label").path("name")
                .asText(null), kind.equals("labeled"), user, user, at);
    }

    /** Gitea records a label change as a timeline comment of type "label" whose body is "1" when it was added. */
    private static LabelHistory.Change giteaTimelineEvent(JsonNode event) {
        if (!event.path("type").asText("").equals("label")) {
            return null;
        }
        String user = event.path("user").path("login").asText(null);
        Instant at = instant(event.path("created_at"));
        return user == null || at == null ? null : new LabelHistory.Change(event.path("label").path("name")
                .asText(null), event.path("body").asText("").equals("1"), user, user, at);
    }

    /** The forges write RFC 3339 times with an offset ("Z", "+02:00"); anything else is not trusted as a time. */
    static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
