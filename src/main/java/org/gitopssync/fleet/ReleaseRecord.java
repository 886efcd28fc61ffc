package org.gitopssync.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * What a builder released for one host at one commit: the system store path, its NAR hash and closure size, when
 * and by whom it was built, and the Ed25519 signature over {@link #canonicalBytes()} ({@code keyname:base64}).
 */
public record ReleaseRecord(
        String host,
        String commit,
        String system,
        String narHash,
        long closureSize,
        Instant builtAt,
        String builder,
        String signature) {

    /** The first field of the signed form; a later format changes it. */
    public static final String FORMAT = "gitops-sync-release-1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern STORE_PATH = Pattern.compile("/nix/store/[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+._?=-]+");
    private static final Pattern NAR_HASH = Pattern.compile("sha256[:-][A-Za-z0-9+/=]+");
    private static final Pattern BUILDER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]*");

    public ReleaseRecord {
        builtAt = builtAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * The bytes that are signed: the fields joined by {@code ;} in a fixed order, UTF-8, no trailing newline
     * (docs/fleet.md shows how an external CI produces them). No field can contain {@code ;} or a newline.
     */
    public byte[] canonicalBytes() {
        return String.join(";", FORMAT, host, commit, system, narHash, Long.toString(closureSize), builtAt.toString(),
                builder).getBytes(StandardCharsets.UTF_8);
    }

    public ReleaseRecord signedWith(String signature) {
        return new ReleaseRecord(host, commit, system, narHash, closureSize, builtAt, builder, signature);
    }

    /** The record's path in the release store. */
    public String location() {
        return location(host, commit);
    }

    static String location(String host, String commit) {
        return host + "/" + commit + ".json";
    }

    /** Why the fields cannot be a release record, or null when they can. */
    String problem() {
        if (host == null || !HOST.matcher(host).matches()) {
            return "host \"" + host + "\" is not a host name";
        }
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            return "commit \"" + commit + "\" is not a full 40-hex commit id";
        }
        if (system == null || !STORE_PATH.matcher(system).matches()) {
            return "system \"" + system + "\" is not a store path";
        }
        if (narHash == null || !NAR_HASH.matcher(narHash).matches()) {
            return "nar_hash \"" + narHash + "\" is not a sha256 hash";
        }
        if (closureSize < 0) {
            return "closure_size is negative";
        }
        if (builder == null || !BUILDER.matcher(builder).matches()) {
            return "builder \"" + builder + "\" is not a name (letters, digits, _ . @ -)";
        }
        return null;
    }

    /** The record as stored: one JSON object, fields in the canonical order. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("host", host);
        o.put("commit", commit);
        o.put("system", system);
        o.put("nar_hash", narHash);
        o.put("closure_size", closureSize);
        o.put("built_at", builtAt.toString());
        o.put("builder", builder);
        if (signature != null) {
            o.put("signature", signature);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a release record: " + e.getMessage(), e);
        }
    }

    /** Reads a stored record; {@code where} names it in errors. The signature is not checked here. */
    public static ReleaseRecord parse(String where, String text) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ReleaseRefusedException(where, "format", "not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new ReleaseRefusedException(where, "format", "not a JSON object");
        }
        if (!FORMAT.equals(text(o, "format"))) {
            throw new ReleaseRefusedException(where, "format", "format is \"" + text(o, "format") + "\", expected \""
                    + FORMAT + "\"");
        }
        Instant builtAt;
        try {
            builtAt = Instant.parse(String.valueOf(text(o, "built_at")));
        } catch (DateTimeParseException e) {
            throw new ReleaseRefusedException(where, "format", "built_at is not an ISO-8601 UTC time");
        }
        JsonNode size = o.get("closure_size");
        if (size == null || !size.canConvertToLong()) {
            throw new ReleaseRefusedException(where, "format", "closure_size is not a number");
        }
        ReleaseRecord r = new ReleaseRecord(text(o, "host"), text(o, "commit"), text(o, "system"), text(o, "nar_hash"),
                size.asLong(), builtAt, text(o, "builder"), text(o, "signature"));
        String problem = r.problem();
        if (problem != null) {
            throw new ReleaseRefusedException(where, "format", problem);
        }
        return r;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }
}
