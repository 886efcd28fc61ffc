package org.gitopssync.reconcile;

import org.gitopssync.GitopsException;

/** The cycle stopped between stages because it was cancelled (shutdown, newer commit). */
final class CycleCancelledException extends GitopsException {

    CycleCancelledException(String reason) {
        super("cancelled: " + reason);
    }
}
