package org.gitopssync.forge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
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
    private final FollowedRepository followed;
    private final WebhookVerifier verifier;
    private final Settings settings;
    private final DeliveryLog deliveries;
    private static final int MAX_DEPTH = 64;
    // Forge payloads nest a handful of levels; a deeper body is refused while it is read, not after.
    private final ObjectMapper json = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build());

    /**
     * Events for repositories other than {@code followed} are ignored. {@code secret} may be null only
     * with {@code allowUnsigned}; otherwise anyone could trigger deployments.
     */
    public WebhookReceiver(ForgeKind kind, RepositoryCoordinates followed, Credential secret, Settings settings) {
        this.kind = kind;
        this.followed = new FollowedRepository(kind, followed);
        this.settings = settings;
        if (secret == null || secret.reveal().isEmpty()) {
            if (!settings.allowUnsigned()) {
                throw ForgeException.misconfigured(kind, null,
                        "webhook listener needs a secret (allow unsigned deliveries only for local development)");
            }
            LOG.warnf("%s webhooks accepted WITHOUT signature verification", kind.displayName());
            this.verifier = null;
        } else {
            this.verifier = kind.webhookVerifier(secret);
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
            Optional<byte[]> document = jsonDocument(request);
            if (document.isEmpty()) {
                return reject(400, "form delivery without a payload field");
            }
            payload = json.readTree(document.get());
        } catch (IllegalArgumentException e) {
            return reject(400, "malformed form body: " + e.getMessage());
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
            parsed = kind.parse(event.get(), payload);
        } catch (MalformedPayloadException e) {
            return reject(400, "malformed " + event.get() + " payload: " + e.getMessage());
        }
        Optional<String> stranger = followed.stranger(payload, parsed);
        if (stranger.isPresent()) {
            parsed = new WebhookEvent.IgnoredEvent("event for " + stranger.get() + ", not the followed repository "
                    + followed.repository());
        }
        String deliveryId = deliveryId(request);
        if (!deliveries.firstSeen(deliveryId)) {
            LOG.debugf("%s webhook delivery %s seen before", kind.displayName(), deliveryId);
            return new WebhookDecision.Duplicate(deliveryId);
        }
        LOG.debugf("%s webhook %s delivery %s: %s", kind.displayName(), event.get(), deliveryId, parsed);
        return new WebhookDecision.Accepted(deliveryId, parsed);
    }

    /**
     * The JSON of a delivery: the body itself, or, for GitHub's and Gitea's form content type, its
     * URL-encoded {@code payload} field. The signature was checked over the raw body before this.
     */
    private static Optional<byte[]> jsonDocument(WebhookRequest request) {
        String type = request.header("Content-Type").orElse("");
        int semicolon = type.indexOf(';');
        String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (!mediaType.equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return Optional.of(request.bodyView());
        }
        for (String field : new String(request.bodyView(), StandardCharsets.US_ASCII).split("&")) {
            int eq = field.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? field : field.substring(0, eq), StandardCharsets.UTF_8);
            if (name.equals("payload")) {
                String value = eq < 0 ? "" : URLDecoder.decode(field.substring(eq + 1), StandardCharsets.UTF_8);
                return Optional.of(value.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private WebhookDecision reject(int status, String reason) {
        LOG.debugf("%s webhook rejected with %d: %s", kind.displayName(), status, reason);
        return new WebhookDecision.Rejected(status, reason);
    }

    private Optional<String> eventName(WebhookRequest request) {
        return request.firstHeader(kind.eventHeaders());
    }

    /**
     * The forge's delivery id, stable across redeliveries; GitLab before 17.4 has no Idempotency-Key, and
     * without any id the body digest stands in (a retry resends the same body).
     */
    private String deliveryId(WebhookRequest request) {
        Optional<String> id = request.firstHeader(kind.deliveryHeaders());
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
