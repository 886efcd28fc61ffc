package org.gitopssync.forge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook payloads from test resources and deliveries signed the way each forge signs them. */
final class WebhookFixtures {

    static final String SECRET = "It's a Secret to Everybody";

    private WebhookFixtures() {
    }

    /** The repository the fixtures' deliveries are about: acme/infra, and infra/nix/hosts (project 15) on GitLab. */
    static RepositoryCoordinates followed(ForgeKind kind) {
        return new RepositoryCoordinates(kind == ForgeKind.GITLAB ? "infra/nix/hosts" : "acme/infra");
    }

    static byte[] payload(String name) {
        try (InputStream in = WebhookFixtures.class.getResourceAsStream("/forge/webhooks/" + name)) {
            if (in == null) {
                throw new AssertionError("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String hmacHex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A delivery as the forge would send it for {@code event}, signed with {@link #SECRET}. */
    static WebhookRequest delivery(ForgeKind kind, String event, String deliveryId, byte[] body) {
        return new WebhookRequest(headers(kind, event, deliveryId, body), body);
    }

    /** The headers of such a delivery, in a map tests may change. */
    static Map<String, String> headers(ForgeKind kind, String event, String deliveryId, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        switch (kind) {
            case GITHUB -> {
                headers.put("X-GitHub-Event", event);
                headers.put("X-GitHub-Delivery", deliveryId);
                headers.put("X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));
            }
            case GITEA -> {
                headers.put("X-Gitea-Event", event);
                headers.put("X-Gitea-Event-Type", event.equals("pull_request") ? "pull_request_sync" : event);
                headers.put("X-Gitea-Delivery", deliveryId);
                headers.put("X-Gitea-Signature", hmacHex(SECRET, body));
            }
            case FORGEJO -> {
                headers.put("X-Forgejo-Event", event);
                headers.put("X-Forgejo-Delivery", deliveryId);
                headers.put("X-Forgejo-Signature", hmacHex(SECRET, body));
            }
            case GITLAB -> {
                headers.put("X-Gitlab-Event", event);
                headers.put("X-Gitlab-Event-UUID", deliveryId);
                headers.put("X-Gitlab-Token", SECRET);
            }
        }
        return headers;
    }
}
