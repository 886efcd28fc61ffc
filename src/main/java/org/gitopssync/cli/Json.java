package org.gitopssync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;
import org.gitopssync.ReportJson;

/** Machine-readable output for {@code --json}: one pretty-printed document on stdout. */
final class Json {

    private static final ObjectWriter WRITER = ReportJson.MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(WRITER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }
}
