package org.gitopssync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attribute names come from the repository: whatever they hold, an event stays one valid JSON line. */
class OneLineJsonTest {

    @Test
    void hostileStringsStayOneValidJsonLine() throws Exception {
        String name = "checks.\"x\"\\y\n\r\tz\u0000\u2028<script>é";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cycle", 7L);
        fields.put("commit", null);
        fields.put("attribute", name);
        fields.put("durationMs", 12);
        String line = OneLineJson.object(fields);

        assertThat(line).doesNotContain("\n", "\r", "\u2028");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("cycle").asLong()).isEqualTo(7);
        assertThat(json.path("commit").isNull()).isTrue();
        assertThat(json.path("attribute").asText()).isEqualTo(name);
        assertThat(json.path("durationMs").asInt()).isEqualTo(12);
    }
}
