package org.gitopssync.forge;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A successful forge answer: status, headers and body bytes. */
record ForgeResponse(int status, HttpHeaders headers, byte[] body) {

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The {@code rel="next"} target of an RFC 8288 Link header, used by all three forges for paging. */
    Optional<URI> nextLink() {
        for (String header : headers.allValues("Link")) {
            for (String link : header.split(",(?=\\s*<)")) {
                int open = link.indexOf('<');
                int close = link.indexOf('>');
                if (open < 0 || close < open) {
                    continue;
                }
                for (String param : link.substring(close + 1).split(";")) {
                    String p = param.trim().toLowerCase(Locale.ROOT).replace("\"", "");
                    if (p.startsWith("rel=") && Arrays.asList(p.substring(4).split("\\s+")).contains("next")) {
                        try {
                            return Optional.of(URI.create(link.substring(open + 1, close).trim()));
                        } catch (IllegalArgumentException e) {
                            return Optional.empty();
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
