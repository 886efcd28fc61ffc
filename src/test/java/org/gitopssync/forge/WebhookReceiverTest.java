package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gitopssync.forge.WebhookFixtures.SECRET;
import static org.gitopssync.forge.WebhookFixtures.delivery;
import static org.gitopssync.forge.WebhookFixtures.headers;
import static org.gitopssync.forge.WebhookFixtures.hmacHex;
import static org.gitopssync.forge.WebhookFixtures.payload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.gitopssync.config.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookReceiverTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PUSH = payload("github-push.json");
    static final byte[] GITLAB_PUSH = payload("gitlab-push.json");

    static WebhookReceiver receiver(ForgeKind kind) {
        return new WebhookReceiver(kind, WebhookFixtures.followed(kind), Credential.of(SECRET, "test"),
                WebhookReceiver.Settings.defaults());
    }

    static String pushEvent(ForgeKind kind) {
        return kind == ForgeKind.GITLAB ? "Push Hook" : "push";
    }

    static byte[] pushBody(ForgeKind kind) {
        return kind == ForgeKind.GITLAB ? GITLAB_PUSH : PUSH;
    }

    static String signatureHeader(ForgeKind kind) {
        return switch (kind) {
            case GITHUB -> "X-Hub-Signature-256";
            case GITEA -> "X-Gitea-Signature";
            case FORGEJO -> "X-Forgejo-Signature";
            case GITLAB -> "X-Gitlab-Token";
        };
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void correctlySignedDeliveryIsAccepted(ForgeKind kind) {
        WebhookDecision decision = receiver(kind).handle(delivery(kind, pushEvent(kind), "d-1", pushBody(kind)));

        assertThat(decision).isInstanceOfSatisfying(WebhookDecision.Accepted.class, accepted -> {
            assertThat(accepted.deliveryId()).isEqualTo("d-1");
            assertThat(accepted.event()).isInstanceOf(WebhookEvent.PushEvent.class);
        });
        assertThat(decision.httpStatus()).isEqualTo(202);
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void aSecretFileEndingInANewlineVerifiesLikeTheSecretItHolds(ForgeKind kind) {
        // what `echo "$SECRET" > /run/keys/webhook` writes; the forge was given the secret without it
        WebhookReceiver fromFile = new WebhookReceiver(kind, WebhookFixtures.followed(kind),
                new Credential((SECRET + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), "file /run/keys/webhook"),
                WebhookReceiver.Settings.defaults());

        WebhookDecision decision = fromFile.handle(delivery(kind, pushEvent(kind), "d-1", pushBody(kind)));

        assertThat(decision).isInstanceOf(WebhookDecision.Accepted.class);
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void wrongSignatureIsRefusedWith401(ForgeKind kind) {
        Map<String, String> headers = headers(kind, pushEvent(kind), "d-1", pushBody(kind));
        headers.put(signatureHeader(kind), switch (kind) {
            case GITHUB -> "sha256=" + hmacHex("wrong secret", pushBody(kind));
            case GITEA, FORGEJO -> hmacHex("wrong secret", pushBody(kind));
            case GITLAB -> "wrong secret";
        });

        WebhookDecision decision = receiver(kind).handle(new WebhookRequest(headers, pushBody(kind)));

        assertThat(decision).isEqualTo(new WebhookDecision.Rejected(401, "signature does not match"));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void missingSignatureIsRefusedWith401(ForgeKind kind) {
        Map<String, String> headers = headers(kind, pushEvent(kind), "d-1", pushBody(kind));
        headers.remove(signatureHeader(kind));

        WebhookDecision decision = receiver(kind).handle(new WebhookRequest(headers, pushBody(kind)));

        assertThat(decision).isEqualTo(new WebhookDecision.Rejected(401, "signature header missing"));
    }

    @ParameterizedTest
    @EnumSource(value = ForgeKind.class, names = {"GITHUB", "GITEA", "FORGEJO"})
    void signatureOverAnyOtherBodyIsRefused(ForgeKind kind) {
        byte[] tampered = new String(PUSH, StandardCharsets.UTF_8).replace("acme/infra", "evil/infra")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers(kind, "push", "d-1", PUSH);

        assertThat(receiver(kind).handle(new WebhookRequest(headers, tampered)).httpStatus()).isEqualTo(401);
    }

    @Test
    void gitHubSignatureNeedsItsPrefix() {
        Map<String, String> headers = headers(ForgeKind.GITHUB, "push", "d-1", PUSH);
        headers.put("X-Hub-Signature-256", hmacHex(SECRET, PUSH));
        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, PUSH)))
                .isEqualTo(new WebhookDecision.Rejected(401, "signature header malformed"));

        headers.put("X-Hub-Signature-256", "sha1=" + hmacHex(SECRET, PUSH));
        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, PUSH)).httpStatus()).isEqualTo(401);

        headers.put("X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, PUSH).substring(2));
        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, PUSH)).httpStatus()).isEqualTo(401);
    }

    @Test
    void headerNamesAndHexCaseDoNotMatter() {
        Map<String, String> headers = Map.of("x-github-event", "push", "x-github-delivery", "d-1",
                "x-hub-signature-256", "sha256=" + hmacHex(SECRET, PUSH).toUpperCase());
        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, PUSH)).httpStatus()).isEqualTo(202);
    }

    @Test
    void forgejoAlsoAcceptsTheGiteaHeadersItSendsAlongside() {
        Map<String, String> headers = Map.of("X-Gitea-Event", "push", "X-Gitea-Delivery", "d-9",
                "X-Gitea-Signature", hmacHex(SECRET, PUSH));
        WebhookDecision decision = receiver(ForgeKind.FORGEJO).handle(new WebhookRequest(headers, PUSH));
        assertThat(decision).isInstanceOfSatisfying(WebhookDecision.Accepted.class,
                a -> assertThat(a.deliveryId()).isEqualTo("d-9"));
    }

    @Test
    void giteaSignatureIsNotAcceptedForGitHub() {
        Map<String, String> headers = Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1",
                "X-Gitea-Signature", hmacHex(SECRET, PUSH));
        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, PUSH)).httpStatus()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void replayedDeliveryIsAnsweredAsDuplicate(ForgeKind kind) {
        WebhookReceiver receiver = receiver(kind);
        WebhookRequest request = delivery(kind, pushEvent(kind), "d-1", pushBody(kind));

        assertThat(receiver.handle(request)).isInstanceOf(WebhookDecision.Accepted.class);
        WebhookDecision again = receiver.handle(request);

        assertThat(again).isEqualTo(new WebhookDecision.Duplicate("d-1"));
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(receiver.handle(delivery(kind, pushEvent(kind), "d-2", pushBody(kind))))
                .isInstanceOf(WebhookDecision.Accepted.class);
    }

    @Test
    void gitLabIdempotencyKeyWinsOverTheEventUuid() {
        WebhookReceiver receiver = receiver(ForgeKind.GITLAB);
        Map<String, String> first = headers(ForgeKind.GITLAB, "Push Hook", "uuid-1", GITLAB_PUSH);
        first.put("Idempotency-Key", "key-1");
        Map<String, String> retry = headers(ForgeKind.GITLAB, "Push Hook", "uuid-2", GITLAB_PUSH);
        retry.put("Idempotency-Key", "key-1");

        assertThat(receiver.handle(new WebhookRequest(first, GITLAB_PUSH))).isInstanceOf(WebhookDecision.Accepted.class);
        assertThat(receiver.handle(new WebhookRequest(retry, GITLAB_PUSH))).isEqualTo(new WebhookDecision.Duplicate("key-1"));
    }

    @Test
    void deliveryWithoutAnIdIsDeduplicatedByItsBody() {
        WebhookReceiver receiver = receiver(ForgeKind.GITLAB);
        Map<String, String> headers = headers(ForgeKind.GITLAB, "Push Hook", "x", GITLAB_PUSH);
        headers.remove("X-Gitlab-Event-UUID");

        assertThat(receiver.handle(new WebhookRequest(headers, GITLAB_PUSH))).isInstanceOf(WebhookDecision.Accepted.class);
        assertThat(receiver.handle(new WebhookRequest(headers, GITLAB_PUSH))).isInstanceOf(WebhookDecision.Duplicate.class);
    }

    @Test
    void rememberedDeliveriesAreBounded() {
        DeliveryLog log = new DeliveryLog(3);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            assertThat(log.firstSeen(id)).isTrue();
        }
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.firstSeen("d")).isFalse();
        assertThat(log.firstSeen("a")).as("evicted, so new again").isTrue();
    }

    @Test
    void oversizeBodyIsRefusedWith413BeforeVerification() {
        WebhookReceiver receiver = new WebhookReceiver(ForgeKind.GITHUB, WebhookFixtures.followed(ForgeKind.GITHUB),
                Credential.of(SECRET, "test"), new WebhookReceiver.Settings(100, 10, false));
        WebhookDecision decision = receiver.handle(delivery(ForgeKind.GITHUB, "push", "d-1", PUSH));

        assertThat(decision.httpStatus()).isEqualTo(413);
        assertThat(receiver.maxBodyBytes()).isEqualTo(100);
        assertThat(WebhookReceiver.Settings.defaults().maxBodyBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void malformedJsonIsRefusedWith400() {
        byte[] broken = "{\"ref\": \"refs/heads/main\",".getBytes(StandardCharsets.UTF_8);
        WebhookDecision decision = receiver(ForgeKind.GITHUB).handle(delivery(ForgeKind.GITHUB, "push", "d-1", broken));
        assertThat(decision).isEqualTo(new WebhookDecision.Rejected(400, "malformed JSON"));
    }

    @Test
    void pushWithoutItsFieldsIsRefusedWith400() {
        byte[] empty = "{\"ref\": \"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        WebhookDecision decision = receiver(ForgeKind.GITEA).handle(delivery(ForgeKind.GITEA, "push", "d-1", empty));
        assertThat(decision.httpStatus()).isEqualTo(400);
        assertThat(decision.reason()).contains("after");
    }

    @Test
    void missingEventHeaderIsRefusedWith400() {
        Map<String, String> headers = headers(ForgeKind.GITHUB, "push", "d-1", PUSH);
        headers.remove("X-GitHub-Event");
        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, PUSH)).httpStatus()).isEqualTo(400);
    }

    @Test
    void listenerWithoutSecretIsRefusedUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> new WebhookReceiver(ForgeKind.GITHUB, WebhookFixtures.followed(ForgeKind.GITHUB), null,
                WebhookReceiver.Settings.defaults()))
                .isInstanceOf(ForgeException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> new WebhookReceiver(ForgeKind.GITLAB, WebhookFixtures.followed(ForgeKind.GITLAB),
                Credential.of("\n", "env X"), WebhookReceiver.Settings.defaults())).isInstanceOf(ForgeException.class);

        WebhookReceiver unsigned = new WebhookReceiver(ForgeKind.GITHUB, WebhookFixtures.followed(ForgeKind.GITHUB), null,
                new WebhookReceiver.Settings(1024 * 1024, 100, true));
        Map<String, String> headers = Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1");
        assertThat(unsigned.handle(new WebhookRequest(headers, PUSH)).httpStatus()).isEqualTo(202);
    }

    /** GitHub's and Gitea's "application/x-www-form-urlencoded" content type: the JSON in a payload field. */
    static byte[] formBody(byte[] json) {
        return ("payload=" + URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(value = ForgeKind.class, names = {"GITHUB", "GITEA", "FORGEJO"})
    void formDeliverySignedOverTheRawBodyIsAcceptedAsItsPayload(ForgeKind kind) {
        byte[] form = formBody(PUSH);
        Map<String, String> headers = headers(kind, "push", "d-form", form);
        headers.put("Content-Type", "application/x-www-form-urlencoded");

        WebhookDecision decision = receiver(kind).handle(new WebhookRequest(headers, form));

        WebhookEvent asJson = ((WebhookDecision.Accepted) receiver(kind).handle(delivery(kind, "push", "d-json", PUSH)))
                .event();
        assertThat(decision).isInstanceOfSatisfying(WebhookDecision.Accepted.class,
                accepted -> assertThat(accepted.event()).isEqualTo(asJson));
    }

    @Test
    void formDeliverySignedOverTheDecodedJsonIsRefused() {
        byte[] form = formBody(PUSH);
        Map<String, String> headers = headers(ForgeKind.GITHUB, "push", "d-1", PUSH);
        headers.put("Content-Type", "application/x-www-form-urlencoded");

        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, form)))
                .isEqualTo(new WebhookDecision.Rejected(401, "signature does not match"));
    }

    @Test
    void formDeliveryWithoutAPayloadFieldIsRefusedWith400() {
        byte[] form = "other=1&payloads=2".getBytes(StandardCharsets.US_ASCII);
        Map<String, String> headers = headers(ForgeKind.GITHUB, "push", "d-1", form);
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

        assertThat(receiver(ForgeKind.GITHUB).handle(new WebhookRequest(headers, form)))
                .isEqualTo(new WebhookDecision.Rejected(400, "form delivery without a payload field"));
    }

    /** A fixture with one field replaced, as a hostile or misdirected delivery would carry it. */
    static byte[] with(String resource, String dottedPath, Object value) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(payload(resource));
            ObjectNode parent = root;
            String[] parts = dottedPath.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                parent = (ObjectNode) parent.get(parts[i]);
            }
            parent.set(parts[parts.length - 1], JSON.valueToTree(value));
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static WebhookEvent acceptedEvent(WebhookReceiver receiver, ForgeKind kind, String event, byte[] body) {
        WebhookDecision decision = receiver.handle(delivery(kind, event, "d-" + body.length, body));
        assertThat(decision).isInstanceOf(WebhookDecision.Accepted.class);
        return ((WebhookDecision.Accepted) decision).event();
    }

    @ParameterizedTest
    @EnumSource(value = ForgeKind.class, names = {"GITHUB", "GITEA", "FORGEJO"})
    void aPullRequestIntoAnotherRepositoryIsIgnored(ForgeKind kind) {
        byte[] body = with("github-pull_request-synchronize.json", "pull_request.base.repo.full_name", "evil/infra");

        assertThat(acceptedEvent(receiver(kind), kind, "pull_request", body)).isEqualTo(new WebhookEvent.IgnoredEvent(
                "event for evil/infra, not the followed repository acme/infra"));
    }

    @Test
    void aPullRequestWhoseBaseIsFollowedButWhoseHookRepositoryIsNotIsIgnored() {
        byte[] body = with("github-pull_request-synchronize.json", "repository.full_name", "acme/other");

        assertThat(acceptedEvent(receiver(ForgeKind.GITHUB), ForgeKind.GITHUB, "pull_request", body))
                .isInstanceOf(WebhookEvent.IgnoredEvent.class);
    }

    @Test
    void aPushToAnotherRepositoryIsIgnoredAndNamesAreComparedIgnoringCase() {
        byte[] other = with("github-push.json", "repository.full_name", "acme/other");
        assertThat(acceptedEvent(receiver(ForgeKind.GITHUB), ForgeKind.GITHUB, "push", other))
                .isEqualTo(new WebhookEvent.IgnoredEvent("event for acme/other, not the followed repository acme/infra"));

        WebhookReceiver upperCase = new WebhookReceiver(ForgeKind.GITHUB, new RepositoryCoordinates("ACME/Infra"),
                Credential.of(SECRET, "test"), WebhookReceiver.Settings.defaults());
        assertThat(acceptedEvent(upperCase, ForgeKind.GITHUB, "push", PUSH)).isInstanceOf(WebhookEvent.PushEvent.class);
    }

    @Test
    void aGitLabMergeRequestIntoAnotherProjectIsIgnored() {
        byte[] body = with("gitlab-merge_request-update.json", "object_attributes.target.path_with_namespace",
                "evil/hosts");

        assertThat(acceptedEvent(receiver(ForgeKind.GITLAB), ForgeKind.GITLAB, "Merge Request Hook", body))
                .isEqualTo(new WebhookEvent.IgnoredEvent(
                        "event for evil/hosts, not the followed repository infra/nix/hosts"));
    }

    @Test
    void aGitLabProjectFollowedByNumericIdIsComparedById() {
        WebhookReceiver byId = new WebhookReceiver(ForgeKind.GITLAB, new RepositoryCoordinates("15"),
                Credential.of(SECRET, "test"), WebhookReceiver.Settings.defaults());
        assertThat(acceptedEvent(byId, ForgeKind.GITLAB, "Push Hook", GITLAB_PUSH))
                .isInstanceOf(WebhookEvent.PushEvent.class);
        assertThat(acceptedEvent(byId, ForgeKind.GITLAB, "Merge Request Hook", payload("gitlab-merge_request-update.json")))
                .isInstanceOf(WebhookEvent.PullRequestEvent.class);

        WebhookReceiver otherId = new WebhookReceiver(ForgeKind.GITLAB, new RepositoryCoordinates("16"),
                Credential.of(SECRET, "test"), WebhookReceiver.Settings.defaults());
        assertThat(acceptedEvent(otherId, ForgeKind.GITLAB, "Push Hook", GITLAB_PUSH))
                .isEqualTo(new WebhookEvent.IgnoredEvent("event for project 15, not the followed repository 16"));
        assertThat(acceptedEvent(otherId, ForgeKind.GITLAB, "Merge Request Hook",
                payload("gitlab-merge_request-update.json"))).isInstanceOf(WebhookEvent.IgnoredEvent.class);
    }
}
