package org.gitopssync.forge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** Entry point: the status reporter, pull request lister, plan comment and approvals for one forge connection. */
public final class ForgeApi {

    private final ForgeKind kind;
    private final StatusReporter statusReporter;
    private final PullRequestLister pullRequestLister;
    private final PullRequestComment planComment;
    private final PullRequestApprovals approvals;
    private final StatusLedger statusLedger;

    private ForgeApi(ForgeKind kind, StatusReporter statusReporter, PullRequestLister pullRequestLister,
                     PullRequestComment planComment, PullRequestApprovals approvals, StatusLedger statusLedger) {
        this.kind = kind;
        this.statusReporter = statusReporter;
        this.pullRequestLister = pullRequestLister;
        this.planComment = planComment;
        this.approvals = approvals;
        this.statusLedger = statusLedger;
    }

    /** With a client that never follows redirects (a redirect would carry the token elsewhere) and the system clock. */
    public static ForgeApi connect(ForgeConnection connection) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return connect(connection, client, Clock.systemUTC());
    }

    public static ForgeApi connect(ForgeConnection connection, HttpClient client, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        ForgeKind kind = connection.kind();
        ForgeHttp http = new ForgeHttp(kind, connection.apiRoot(), client, authorizer(connection, client, clock, json),
                clock, json);
        return switch (kind) {
            case GITHUB -> new ForgeApi(kind, new RepoStatusesReporter(http, RepoStatusesReporter.GITHUB_DESCRIPTION), GitHubPullRequestLister.gitHub(http),
                    new PullRequestComment(new IssueCommentThread(http, "?per_page=100")), IssueApprovals.gitHub(http),
                    RepoStatusesLedger.gitHub(http));
            case GITEA, FORGEJO -> new ForgeApi(kind, new RepoStatusesReporter(http, RepoStatusesReporter.GITEA_DESCRIPTION),
                    GitHubPullRequestLister.gitea(http), new PullRequestComment(new IssueCommentThread(http, "")),
                    IssueApprovals.gitea(http), RepoStatusesLedger.gitea(http));
            case GITLAB -> new ForgeApi(kind, new GitLabStatusReporter(http), new GitLabMergeRequestLister(http),
                    new PullRequestComment(new GitLabNoteThread(http)), new GitLabApprovals(http),
                    new GitLabStatusLedger(http));
        };
    }

    private static RequestAuthorizer authorizer(ForgeConnection connection, HttpClient client, Clock clock,
                                                ObjectMapper json) {
        if (connection.auth() instanceof ForgeAuth.GitHubApp app) {
            GitHubAppJwt jwt;
            try {
                jwt = new GitHubAppJwt(app.appId(), RsaPrivateKeyPem.parse(app.privateKeyPem()), clock, json);
            } catch (IllegalArgumentException e) {
                throw ForgeException.misconfigured(ForgeKind.GITHUB, null, e.getMessage());
            }
            ForgeHttp appHttp = new ForgeHttp(ForgeKind.GITHUB, connection.apiRoot(), client,
                    request -> request.header("Authorization", "Bearer " + jwt.mint()), clock, json);
            return new GitHubInstallationTokens(appHttp, app.installationId(), clock);
        }
        ForgeAuth.Token token = (ForgeAuth.Token) connection.auth();
        return connection.kind().tokenAuthorizer(token.token());
    }

    public ForgeKind kind() {
        return kind;
    }

    public StatusReporter statusReporter() {
        return statusReporter;
    }

    public PullRequestLister pullRequestLister() {
        return pullRequestLister;
    }

    public PullRequestComment planComment() {
        return planComment;
    }

    /** Who approved a pull request (label or comment), for pull requests that need an approval. */
    public PullRequestApprovals approvals() {
        return approvals;
    }

    /** The statuses the forge shows on a commit: what waves read. */
    public StatusLedger statusLedger() {
        return statusLedger;
    }
}
