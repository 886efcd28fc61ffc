package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a paginated JSON array by following Link rel="next" headers (GitHub, Gitea, Forgejo and GitLab all send them). */
final class Pages {

    /** A runaway Link chain must not keep the agent busy forever. */
    static final int MAX_PAGES = 100;

    private Pages() {
    }

    static List<JsonNode> all(ForgeHttp http, String firstPath, ForgeHttp.Target target) {
        List<JsonNode> items = new ArrayList<>();
        URI next = http.resolve(firstPath);
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            ForgeResponse response = http.send("GET", next, null, target);
            JsonNode array = http.readJson(response, target);
            if (!array.isArray()) {
                throw ForgeException.misconfigured(http.kind(), target.repository() == null ? null
                        : target.repository().fullName(), target.action() + ": expected a JSON array");
            }
            array.forEach(items::add);
            Optional<URI> link = response.nextLink();
            // Only follow links back to the same API: the token goes with every request.
            next = link.filter(http::sameOrigin).orElse(null);
            if (array.isEmpty()) {
                next = null;
            }
        }
        return items;
    }
}
