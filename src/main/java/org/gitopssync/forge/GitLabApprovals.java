package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Approvals on GitLab: the label from {@code GET /projects/:id/merge_requests/:iid/resource_label_events},
 * approve notes from {@code .../notes} (system notes skipped), and each approver's access level from
 * {@code GET /projects/:id/members/all/:user_id} (Developer, 30, or higher may write).
 */
final class GitLabApprovals implements PullRequestApprovals {

    static final int DEVELOPER = 30;

    private final ForgeHttp http;

    GitLabApprovals(ForgeHttp http) {
        this.http = http;
    }

    /** A candidate approval and the user id its permission is looked up by. */
    private record Candidate(Approval approval, String userId) {
    }

    @Override
    public List<Approval> approvals(RepositoryCoordinates repository, int number, String label,
                                    Predicate<Approval> wanted) {
        String project = "/projects/" + repository.encodedAsOneSegment();
        String mr = project + "/merge_requests/" + number;
        ForgeHttp.Target target = ForgeHttp.Target.of("approvals of merge request !" + number, repository);

        List<LabelHistory.Change> changes = new ArrayList<>();
        for (JsonNode event : Pages.all(http, mr + "/resource_label_events?per_page=100", target)) {
            String action = event.path("action").asText("");
            String user = event.path("user").path("username").asText(null);
            JsonNode id = event.path("user").path("id");
            Instant at = IssueApprovals.instant(event.path("created_at"));
            if ((action.equals("add") || action.equals("remove")) && user != null && id.canConvertToLong()
                    && at != null) {
                changes.add(new LabelHistory.Change(event.path("label").path("name").asText(null),
                        action.equals("add"), user, Long.toString(id.asLong()), at));
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        LabelHistory.current(changes, label).ifPresent(c -> candidates.add(new Candidate(
                new Approval(Approval.Kind.LABEL, c.user(), c.at(), null), c.userKey())));
        for (JsonNode note : Pages.all(http, mr + "/notes?per_page=100", target)) {
            String user = note.path("author").path("username").asText(null);
            JsonNode id = note.path("author").path("id");
            Instant at = IssueApprovals.instant(note.path("created_at"));
            if (!note.path("system").asBoolean(false) && user != null && id.canConvertToLong() && at != null) {
                ApproveCommand.parse(note.path("body").asText(null)).ifPresent(named -> candidates.add(
                        new Candidate(ApproveCommand.approval(user, at, named), Long.toString(id.asLong()))));
            }
        }
        Map<String, Boolean> writers = new HashMap<>();
        return candidates.stream().filter(c -> wanted.test(c.approval()))
                .filter(c -> writers.computeIfAbsent(c.userId(), id -> canWrite(project, id, target)))
                .map(Candidate::approval)
                .toList();
    }

    /** Members of the project, its group or an invited group; 404 means not a member at all. */
    private boolean canWrite(String project, String userId, ForgeHttp.Target target) {
        try {
            JsonNode member = http.readJson(http.get(project + "/members/all/" + userId, target), target);
            return member.path("access_level").asInt(0) >= DEVELOPER;
        } catch (ForgeException e) {
            if (e.httpStatus() == 404) {
                return false;
            }
            throw e;
        }
    }
}
