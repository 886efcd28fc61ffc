package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the statuses a forge shows on a commit: the latest of each context, which is what other
 * hosts of a fleet posted there (the forge is the ledger waves read).
 */
public interface StatusLedger {

    /** The latest status of each context on {@code sha}; throws {@link ForgeException} when the forge cannot say. */
    List<PostedStatus> latest(RepositoryCoordinates repository, String sha);

    /** Keeps, per context, the status posted last (forges list every status ever posted, in their own order). */
    static List<PostedStatus> latestPerContext(Collection<PostedStatus> all) {
        Map<String, PostedStatus> out = new LinkedHashMap<>();
        for (PostedStatus s : all) {
            out.merge(s.context(), s, (a, b) -> b.newerThan(a) ? b : a);
        }
        return List.copyOf(out.values());
    }

    /** An ISO-8601 time with an offset ({@code 2025-06-02T10:00:00Z}, {@code ...+02:00}, {@code ...000+00:00}). */
    static Instant time(ForgeHttp http, RepositoryCoordinates repository, JsonNode node, String field) {
        String text = node.path(field).asText("");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ForgeException.misconfigured(http.kind(), repository.fullName(),
                    "a commit status has no readable " + field + " (\"" + text + "\")");
        }
    }
}
