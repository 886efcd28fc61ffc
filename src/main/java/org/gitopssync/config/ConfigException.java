package org.gitopssync.config;

import org.gitopssync.GitopsException;

/** The configuration is malformed or incomplete; the message names the file, line and key. */
public final class ConfigException extends GitopsException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
