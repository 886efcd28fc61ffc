package org.gitopssync.review;

import org.gitopssync.GitopsException;

/** A part of a pull request's plan could not be worked out (the rest of the plan still stands). */
final class PlanException extends GitopsException {

    PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
