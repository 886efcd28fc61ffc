package org.gitopssync.metrics;

import org.gitopssync.GitopsException;

/** The metrics textfile could not be written. */
public final class MetricsException extends GitopsException {

    MetricsException(String message, Throwable cause) {
        super(message, cause);
    }
}
