package org.gitopssync.deploy;

import java.nio.file.Path;
import org.gitopssync.config.DeploySettings.Operation;

/** What to activate: the built system, where it came from, and how. */
public record ActivationRequest(String host, String outPath, String flakeRef, Operation operation, Path logFile) {
}
