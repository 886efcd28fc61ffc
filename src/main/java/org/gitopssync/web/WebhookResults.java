package org.gitopssync.web;

import org.gitopssync.forge.ForgeKind;

/** Hears how each webhook delivery to a configured forge ended: {@code accepted}, {@code ignored} or {@code rejected}. */
@FunctionalInterface
public interface WebhookResults {

    void delivery(ForgeKind forge, String result);

    /** Counts nothing (tests, a server without metrics). */
    WebhookResults NONE = (forge, result) -> {
    };
}
