package org.gitopssync.forge;

import java.net.URI;
import java.net.URISyntaxException;

/** Makes descriptions and target URLs acceptable to forges that limit or validate them. */
final class StatusText {

    private static final String ELLIPSIS = "\u2026";

    private StatusText() {
    }

    /**
     * One line of at most {@code maxChars} code points, cut with an ellipsis; never splits a surrogate
     * pair (forges count Unicode characters and reject an unpaired surrogate as invalid UTF-8).
     */
    static String fit(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
        if (flat.codePointCount(0, flat.length()) <= maxChars) {
            return flat;
        }
        int end = flat.offsetByCodePoints(0, maxChars - 1);
        return flat.substring(0, end).stripTrailing() + ELLIPSIS;
    }

    /** Forges reject or mislink anything but absolute http(s) URLs; such a target is left out. */
    static String linkOrNull(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
                    && uri.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
