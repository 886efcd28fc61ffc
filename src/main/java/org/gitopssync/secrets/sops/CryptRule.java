package org.gitopssync.secrets.sops;

import java.util.List;
import java.util.regex.Pattern;

/** Which leaves sops encrypted: the one suffix or regex rule of the file (sops.go shouldBeEncrypted). */
record CryptRule(Kind kind, String value, Pattern pattern) {

    /** The metadata field that set the rule. */
    enum Kind {
        UNENCRYPTED_SUFFIX("unencrypted_suffix"),
        ENCRYPTED_SUFFIX("encrypted_suffix"),
        UNENCRYPTED_REGEX("unencrypted_regex"),
        ENCRYPTED_REGEX("encrypted_regex"),
        UNENCRYPTED_COMMENT_REGEX("unencrypted_comment_regex"),
        ENCRYPTED_COMMENT_REGEX("encrypted_comment_regex");

        final String field;

        Kind(String field) {
            this.field = field;
        }
    }

    static final CryptRule DEFAULT = new CryptRule(Kind.UNENCRYPTED_SUFFIX, "_unencrypted", null);

    static CryptRule of(Kind kind, String value) {
        boolean regex = kind.field.endsWith("_regex");
        return new CryptRule(kind, value, regex ? Pattern.compile(value) : null);
    }

    /**
     * Whether the leaf (or comment) at {@code path} is encrypted. {@code comments} holds, per enclosing
     * collection, the raw comment lines seen since the last value, as sops tracks them.
     */
    boolean encrypts(List<String> path, List<List<String>> comments, boolean isComment) {
        switch (kind) {
            case UNENCRYPTED_SUFFIX:
                return !anyKey(path, false);
            case ENCRYPTED_SUFFIX:
                return anyKey(path, false);
            case UNENCRYPTED_REGEX:
                return !anyKey(path, true);
            case ENCRYPTED_REGEX:
                return anyKey(path, true);
            case UNENCRYPTED_COMMENT_REGEX:
                return comments.stream().flatMap(List::stream).noneMatch(c -> pattern.matcher(c).find());
            case ENCRYPTED_COMMENT_REGEX:
                return encryptedByComment(comments, isComment);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** Whether a key of the path ends with the suffix (or matches the pattern); asked once per leaf, so no stream. */
    private boolean anyKey(List<String> path, boolean regex) {
        for (int i = 0; i < path.size(); i++) {
            String key = path.get(i);
            if (regex ? pattern.matcher(key).find() : key.endsWith(value)) {
                return true;
            }
        }
        return false;
    }

    private boolean encryptedByComment(List<List<String>> comments, boolean isComment) {
        int lastGroup = comments.size() - 1;
        for (int i = 0; i < comments.size(); i++) {
            List<String> group = comments.get(i);
            for (int j = 0; j < group.size(); j++) {
                // The comment line that matches the regex is itself left in clear text.
                if (isComment && i == lastGroup && j == group.size() - 1) {
                    continue;
                }
                if (pattern.matcher(group.get(j)).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
