package org.gitopssync.secrets;

import org.gitopssync.GitopsException;

/** A secret could not be loaded or decrypted; the message names the file and key path, never a secret value. */
public class SecretsException extends GitopsException {

    public SecretsException(String message) {
        super(message);
    }

    public SecretsException(String message, Throwable cause) {
        super(message, cause);
    }
}
