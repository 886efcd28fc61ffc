package org.gitopssync.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.gitopssync.nix.TerminalText;

/**
 * Splits the internal-json log of one realisation of several derivations into one log file per
 * derivation: build activities (type 105) name their .drv, log lines (type 101) name their
 * activity, and an error message naming exactly one .drv is that derivation's error.
 * Fed line by line from the process's reader thread.
 */
final class BuildLogDemux implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BuildLogDemux.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DRV = Pattern.compile("/[^\\s'\"!]+\\.drv");
    private static final int ACT_BUILD = 105;
    private static final int RES_BUILD_LOG_LINE = 101;

    private final Map<String, Path> logs;
    private final BiConsumer<String, Long> started;
    private final Map<Long, String> activities = new HashMap<>();
    private final Map<String, Writer> writers = new HashMap<>();
    private final Map<String, Deque<String>> tails = new HashMap<>();
    private final Map<String, String> errors = new HashMap<>();
    private final Map<String, Long> startedAt = new LinkedHashMap<>();
    private final List<String> otherErrors = new ArrayList<>();
    private final int tailLines;

    /** {@code logs}: the log file of each derivation; {@code started}: told of each build start (drv, nanoTime). */
    BuildLogDemux(Map<String, Path> logs, int tailLines, BiConsumer<String, Long> started) {
        this.logs = Map.copyOf(logs);
        this.tailLines = tailLines;
        this.started = started;
    }

    synchronized void accept(String line) {
        if (!line.startsWith("@nix ")) {
            if (!line.isBlank()) {
                otherErrors.add(line);
            }
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(line.substring(5));
        } catch (IOException e) {
            LOG.debugf("unreadable nix log line: %s", line);
            return;
        }
        switch (n.path("action").asText()) {
            case "start" -> {
                if (n.path("type").asInt() == ACT_BUILD) {
                    String drv = n.path("fields").path(0).asText();
                    if (logs.containsKey(drv)) {
                        activities.put(n.path("id").asLong(), drv);
                        startedAt.put(drv, System.nanoTime());
                        write(drv, strip(n.path("text").asText()));
                        started.accept(drv, startedAt.get(drv));
                    }
                }
            }
            case "result" -> {
                String drv = activities.get(n.path("id").asLong());
                if (drv != null && n.path("type").asInt() == RES_BUILD_LOG_LINE) {
                    write(drv, strip(n.path("fields").path(0).asText()));
                }
            }
            case "msg" -> {
                if (n.path("level").asInt(9) <= 1) {
                    message(strip(n.path("msg").asText()));
                }
            }
            default -> {
                // stop and progress events say nothing a log reader needs
            }
        }
    }

    private void message(String text) {
        Matcher m = DRV.matcher(text);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            if (logs.containsKey(m.group()) && !named.contains(m.group())) {
                named.add(m.group());
            }
        }
        if (named.size() == 1) {
            String drv = named.get(0);
            errors.putIfAbsent(drv, firstLine(text.startsWith("error:") ? text.substring(6).strip() : text));
            write(drv, text);
        } else if (named.isEmpty()) {
            otherErrors.add(text);
        }
    }

    private void write(String drv, String text) {
        Deque<String> tail = tails.computeIfAbsent(drv, d -> new ArrayDeque<>());
        for (String l : text.split("\n", -1)) {
            tail.addLast(l);
            if (tail.size() > tailLines) {
                tail.removeFirst();
            }
        }
        try {
            Writer w = writers.get(drv);
            if (w == null) {
                Path log = logs.get(drv);
                Files.createDirectories(log.getParent());
                w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                writers.put(drv, w);
            }
            w.write(text);
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the build log of " + drv, e);
        }
    }

    synchronized List<String> tail(String drv) {
        Deque<String> t = tails.get(drv);
        return t == null ? List.of() : List.copyOf(t);
    }

    /** The error nix reported for this derivation, or null. */
    synchronized String error(String drv) {
        return errors.get(drv);
    }

    /** Errors that named no single derivation of the batch (the last is usually the most telling). */
    synchronized List<String> otherErrors() {
        return List.copyOf(otherErrors);
    }

    /** Build starts in order, as nanoTime. */
    synchronized Map<String, Long> starts() {
        return new LinkedHashMap<>(startedAt);
    }

    private static String strip(String s) {
        return TerminalText.plain(s);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public synchronized void close() {
        for (Writer w : writers.values()) {
            try {
                w.close();
            } catch (IOException ignored) {
                // the log is as complete as it can be
            }
        }
    }
}
