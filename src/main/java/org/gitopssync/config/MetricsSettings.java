package org.gitopssync.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code [metrics]}: where one-shot commands write the Prometheus families for node-exporter's
 * textfile collector (timer mode has no process to scrape); the daemon serves them on {@code /metrics}.
 */
public record MetricsSettings(Optional<Path> textfile) {

    static MetricsSettings from(ConfigSection s) {
        Path file = s.path("textfile", null);
        if (file != null && !file.toString().endsWith(".prom")) {
            // node-exporter's textfile collector reads only *.prom files: any other name is silently ignored
            throw s.error("textfile", "must name a *.prom file (node-exporter reads only those), got " + file);
        }
        return new MetricsSettings(Optional.ofNullable(file).map(Path::toAbsolutePath));
    }
}
