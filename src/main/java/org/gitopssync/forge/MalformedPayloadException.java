package org.gitopssync.forge;

/** A webhook body that is JSON but lacks what its event type must carry. */
final class MalformedPayloadException extends RuntimeException {

    MalformedPayloadException(String message) {
        super(message, null, false, false);
    }
}
