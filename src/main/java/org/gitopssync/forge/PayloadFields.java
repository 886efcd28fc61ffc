package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** Reads required and optional fields from webhook JSON, failing with the JSON path that is missing. */
final class PayloadFields {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern ZEROS = Pattern.compile("0+");

    private PayloadFields() {
    }

    static String text(JsonNode root, String dottedPath) {
        JsonNode node = at(root, dottedPath);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedPayloadException("missing " + dottedPath);
        }
        return node.asText();
    }

    static String optionalText(JsonNode root, String dottedPath) {
        JsonNode node = at(root, dottedPath);
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    static String sha(JsonNode root, String dottedPath) {
        String value = text(root, dottedPath);
        if (!SHA.matcher(value).matches()) {
            throw new MalformedPayloadException(dottedPath + " is not a commit sha");
        }
        return value;
    }

    static int number(JsonNode root, String dottedPath) {
        JsonNode node = at(root, dottedPath);
        if (!node.canConvertToInt() || node.asInt() <= 0) {
            throw new MalformedPayloadException("missing " + dottedPath);
        }
        return node.asInt();
    }

    /** The forges report a deleted branch as a push whose new sha is all zeros. */
    static boolean isNullSha(String sha) {
        return sha != null && ZEROS.matcher(sha).matches();
    }

    /** What a pushed ref names, in words: "tag" under refs/tags/, "branch" under refs/heads/, else "ref". */
    static String refKind(String ref) {
        if (ref.startsWith("refs/tags/")) {
            return "tag";
        }
        return ref.startsWith("refs/heads/") ? "branch" : "ref";
    }

    static JsonNode at(JsonNode root, String dottedPath) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }
}
