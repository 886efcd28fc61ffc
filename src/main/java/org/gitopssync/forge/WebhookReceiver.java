package org.gitopssync.forge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.gitopssync.config.Credential;
import org.jboss.logging.Logger;

/** Verifies, de-duplicates and parses webhook deliveries from one forge; the web layer only moves bytes. */
public final class WebhookReceiver {

    private static final Logger LOG = Logger.getLogger(WebhookReceiver.class);
    private static final int MAX_ID_LENGTH = 128;

    /** Body size cap, how many delivery ids to remember, and whether an unsigned listener is allowed (development only). */
    public record Settings(long maxBodyBytes, int rememberedDeliveries, boolean allowUnsigned) {
        public static Settings defaults() {
            return new Settings(1024 * 1024, 10_000, false);
        }
    }

    private final ForgeKind kind;
    private final WebhookVerifier verifier;
    private final Settings settings;
    private final DeliveryLog deliveries;
    private static final int MAX_DEPTH = 64;
    // Forge payloads nest a handful of levels; a deeper body is refused while it is read, not after.
    private final ObjectMapper json = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build());

    /** {@code secret} may be null only with {@code allowUnsigned}; otherwise anyone could trigger deployments. */
    public WebhookReceiver(ForgeKind kind, Credential secret, Settings settings) {
        this.kind = kind;
        this.settings = settings;
        if (secret == null || secret.reveal().isEmpty()) {
            if (!settings.allowUnsigned()) {
                throw ForgeException.misconfigured(kind, null,
                        "webhook listener needs a secret (allow unsigned deliveries only for local development)");
            }
            LOG.warnf("%s webhooks accepted WITHOUT signature verification", kind.displayName());
            this.verifier = null;
        } else {
            this.verifier = WebhookVerifier.forForge(kind, secret);
        }
        this.deliveries = new DeliveryLog(settings.rememberedDeliveries());
    }

    public ForgeKind kind() {
        return kind;
    }

    /** The web layer can refuse a larger Content-Length before reading the body. */
    public long maxBodyBytes() {
        return settings.maxBodyBytes();
    }

    public WebhookDecision handle(WebhookRequest request) {
        if (request.bodyLength() > settings.maxBodyBytes()) {
            return reject(413, "body larger than " + settings.maxBodyBytes() + " bytes");
        }
        if (verifier != null) {
            WebhookVerifier.Result result = verifier.verify(request);
            if (result != WebhookVerifier.Result.VALID) {
                return reject(401, switch (result) {
                    case MISSING -> "signature header missing";
                    case MALFORMED -> "signature header malformed";
                    default -> "signature does not match";
                });
            }
        }
        Optional<String> event = eventName(request);
        if (event.isEmpty()) {
            return reject(400, "event header missing");
        }
        JsonNode payload;
        try {
            payload = json.readTree(request.bodyView());
        } catch (StreamConstraintsException e) {
            return reject(400, "JSON nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            return reject(400, "malformed JSON");
        } catch (IOException e) {
            return reject(400, "unreadable body");
        }
        if (payload == null || !payload.isObject()) {
            return reject(400, "payload is not a JSON object");
        }
        WebhookEvent parsed;
        try {
            parsed = kind == ForgeKind.GITLAB ? GitLabEventParser.parse(event.get(), payload)
                    : GitHubEventParser.parse(event.get(), payload);
        } catch (MalformedPayloadException e) {
            return reject(400, "malformed " + event.get() + " payload: " + e.getMessage());
        }
        String deliveryId = deliveryId(request);
        if (!deliveries.firstSeen(deliveryId)) {
            LOG.debugf("%s webhook delivery %s seen before", kind.displayName(), deliveryId);
            return new WebhookDecision.Duplicate(deliveryId);
        }
        LOG.debugf("%s webhook %s delivery %s: %s", kind.displayName(), event.get(), deliveryId, parsed);
        return new WebhookDecision.Accepted(deliveryId, parsed);
    }

    private WebhookDecision reject(int status, String reason) {
        LOG.debugf("%s webhook rejected with %d: %s", kind.displayName(), status, reason);
        return new WebhookDecision.Rejected(status, reason);
    }

    private Optional<String> eventName(WebhookRequest request) {
        return switch (kind) {
            case GITHUB -> request.header("X-GitHub-Event");
            case GITEA -> request.firstHeader("X-Gitea-Event", "X-Gitea-Event-Type");
            case FORGEJO -> request.firstHeader("X-Forgejo-Event", "X-Gitea-Event", "X-Forgejo-Event-Type",
                    "X-Gitea-Event-Type");
            case GITLAB -> request.header("X-Gitlab-Event");
        };
    }

    /**
     * The forge's delivery id, stable across redeliveries; GitLab before 17.4 has no Idempotency-Key, and
     * without any id the body digest stands in (a retry resends the same body).
     */
    private String deliveryId(WebhookRequest request) {
        Optional<String> id = switch (kind) {
            case GITHUB -> request.header("X-GitHub-Delivery");
            case GITEA -> request.header("X-Gitea-Delivery");
            case FORGEJO -> request.firstHeader("X-Forgejo-Delivery", "X-Gitea-Delivery");
            case GITLAB -> request.firstHeader("Idempotency-Key", "X-Gitlab-Event-UUID");
        };
        // Ids are short GUIDs; anything longer is digested so the remembered ids stay small.
        return id.map(v -> v.length() <= MAX_ID_LENGTH ? v
                        : "sha256:" + HexFormat.of().formatHex(sha256(v.getBytes(StandardCharsets.UTF_8))))
                .orElseGet(() -> "sha256:" + HexFormat.of().formatHex(sha256(request.bodyView())));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
