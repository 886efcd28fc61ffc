package org.gitopssync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.LogLine;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;

/**
 * {@code [log] format = "json"}: one JSON object per line with the text line's content (time, level, logger,
 * message, the error's trace) and, when known, the cycle and its commit.
 */
final class JsonLogFormatter extends Formatter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lines logged off the cycle's thread (CI runs) still name their cycle in the text. */
    private static final Pattern CYCLE_PREFIX = Pattern.compile("^cycle (\\d+):");

    @Override
    public String format(LogRecord record) {
        String message = LogLine.message(record);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", record.getInstant().toString());
        line.put("level", LogLine.levelName(record));
        line.put("logger", record.getLoggerName());
        line.put("message", message);
        String cycle = record instanceof ExtLogRecord ext ? ext.getMdc("cycle") : mdc("cycle");
        if (cycle == null && message != null) {
            Matcher m = CYCLE_PREFIX.matcher(message);
            cycle = m.find() ? m.group(1) : null;
        }
        if (cycle != null) {
            line.put("cycle", Long.parseLong(cycle));
        }
        String commit = record instanceof ExtLogRecord ext ? ext.getMdc("commit") : mdc("commit");
        if (commit != null) {
            line.put("commit", commit);
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.put("error", trace.toString());
        }
        try {
            return JSON.writeValueAsString(line) + "\n";
        } catch (JsonProcessingException e) {
            // strings and numbers only: cannot happen; never lose the line
            return "{\"level\":\"ERROR\",\"message\":\"log line not representable as JSON\"}\n";
        }
    }

    /**
     * Without JBoss LogManager (a one-shot command, see {@link ConsoleLog}) records carry no MDC: the console formats
     * each on the thread that logged it, whose MDC is the one the record would have carried.
     */
    private static String mdc(String key) {
        Object value = MDC.get(key);
        return value == null ? null : value.toString();
    }
}
