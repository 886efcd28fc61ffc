package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.gitopssync.testing.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mutated webhook bodies get an HTTP answer with a one-line reason, never an exception. */
class WebhookMutationTest {

    private static final Pattern JAVA_NAMES = Pattern.compile("Exception|Error\\b|java\\.");

    @ParameterizedTest
    @CsvSource({"GITHUB, push, github-push.json", "GITHUB, pull_request, github-pull_request-synchronize.json",
        "GITEA, push, gitea-push.json", "GITLAB, Merge Request Hook, gitlab-merge_request-update.json",
        "GITLAB, Push Hook, gitlab-push.json"})
    void mutatedBodiesGetAClearAnswer(ForgeKind kind, String event, String payload) {
        WebhookReceiver receiver = new WebhookReceiver(kind, WebhookFixtures.followed(kind), null, new WebhookReceiver.Settings(1024 * 1024, 10, true));
        List<byte[]> inputs = Mutations.of(List.of(WebhookFixtures.payload(payload)), payload.hashCode(), 300);
        int[] delivery = {0};

        Mutations.assertEveryInputEndsCleanly(payload, inputs, body -> {
            WebhookDecision decision = receiver.handle(new WebhookRequest(
                    WebhookFixtures.headers(kind, event, "delivery-" + delivery[0]++, body), body));
            String reason = decision.reason();
            if (reason.contains("\n") || JAVA_NAMES.matcher(reason).find()) {
                throw new AssertionError("answer " + decision.httpStatus() + " with reason: " + reason);
            }
        });
    }

    @Test
    void deeplyNestedBodyIsRefusedNamingTheDepth() {
        WebhookReceiver receiver = new WebhookReceiver(ForgeKind.GITHUB, WebhookFixtures.followed(ForgeKind.GITHUB), null, new WebhookReceiver.Settings(1024 * 1024,
                10, true));
        byte[] body = ("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);

        WebhookDecision decision = receiver.handle(new WebhookRequest(
                WebhookFixtures.headers(ForgeKind.GITHUB, "push", "deep", body), body));

        assertThat(decision.httpStatus()).isEqualTo(400);
        assertThat(decision.reason()).isEqualTo("JSON nested deeper than 64 levels");
    }
}
