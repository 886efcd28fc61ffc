package org.gitopssync.source;

import org.gitopssync.GitopsException;

/** The repository could not be reached, fetched or read; names the URL or commit. */
public class SourceException extends GitopsException {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
