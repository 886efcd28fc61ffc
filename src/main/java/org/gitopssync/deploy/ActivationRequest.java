package org.gitopssync.deploy;

import java.nio.file.Path;
import org.gitopssync.config.DeploySettings.Operation;

/**
 * What to activate: the built system, where it came from, and how; {@code beforeRevert} runs right before the
 * previous system is activated again (the caller switches its secrets back, so restarted units read the old ones).
 */
public record ActivationRequest(String host, String outPath, String flakeRef, Operation operation, Path logFile,
        Runnable beforeRevert) {

    public ActivationRequest(String host, String outPath, String flakeRef, Operation operation, Path logFile) {
        this(host, outPath, flakeRef, operation, logFile, () -> { });
    }
}
