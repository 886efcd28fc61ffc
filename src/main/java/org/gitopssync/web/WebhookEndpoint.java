package org.gitopssync.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.WebhookDecision;
import org.gitopssync.forge.WebhookEvent;
import org.gitopssync.forge.WebhookReceiver;
import org.gitopssync.forge.WebhookRequest;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/<forge>}: caps the body while it streams in, hands the raw bytes to the
 * forge's {@link WebhookReceiver} (signature, replay, parsing), answers at once, and acts on the
 * event on a worker so the forge never waits for a build.
 */
final class WebhookEndpoint {

    private static final Logger LOG = Logger.getLogger(WebhookEndpoint.class);

    private final Map<ForgeKind, WebhookReceiver> receivers;
    private final WebhookListener listener;
    private final ExecutorService worker;
    private final WebhookResults results;

    WebhookEndpoint(Map<ForgeKind, WebhookReceiver> receivers, WebhookListener listener, ExecutorService worker,
            WebhookResults results) {
        this.receivers = Map.copyOf(receivers);
        this.listener = listener;
        this.worker = worker;
        this.results = results;
    }

    void handle(HttpServerRequest req, String forgeName) {
        ForgeKind kind = kindOf(forgeName);
        WebhookReceiver receiver = kind == null ? null : receivers.get(kind);
        if (receiver == null || !req.method().name().equals("POST")) {
            WebServer.text(req, 404, "no webhook endpoint for " + forgeName + "\n");
            return;
        }
        long max = receiver.maxBodyBytes();
        String length = req.getHeader("content-length");
        if (length != null && parseLong(length) > max) {
            count(kind, "rejected");
            tooLarge(req, max);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                refused[0] = true;
                count(kind, "rejected");
                tooLarge(req, max);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (refused[0]) {
                return;
            }
            Map<String, String> headers = new HashMap<>();
            req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
            WebhookDecision decision = receiver.handle(new WebhookRequest(headers, body.getBytes()));
            // counted before answering: a scrape after the answer sees this delivery
            count(kind, result(decision));
            WebServer.text(req, decision.httpStatus(), decision.reason() + "\n");
            if (decision instanceof WebhookDecision.Accepted accepted) {
                LOG.infof("webhook: %s delivery %s: %s", kind.displayName(), accepted.deliveryId(),
                        describe(accepted.event()));
                worker.submit(() -> dispatch(kind, accepted.event()));
            } else if (decision instanceof WebhookDecision.Rejected rejected) {
                LOG.warnf("webhook: %s delivery refused with %d: %s", kind.displayName(), rejected.httpStatus(),
                        rejected.reason());
            }
        });
    }

    /** A redelivery is ignored like an event the agent does not act on: answered, nothing done. */
    private static String result(WebhookDecision decision) {
        if (decision instanceof WebhookDecision.Accepted a && !(a.event() instanceof WebhookEvent.IgnoredEvent)) {
            return "accepted";
        }
        return decision instanceof WebhookDecision.Rejected ? "rejected" : "ignored";
    }

    private void count(ForgeKind kind, String result) {
        try {
            results.delivery(kind, result);
        } catch (RuntimeException e) {
            LOG.debugf("webhook: cannot count a delivery: %s", e.getMessage());
        }
    }

    private void dispatch(ForgeKind kind, WebhookEvent event) {
        try {
            if (event instanceof WebhookEvent.PushEvent push) {
                listener.onPush(kind, push);
            } else if (event instanceof WebhookEvent.PullRequestEvent pr) {
                listener.onPullRequest(kind, pr);
            } else if (event instanceof WebhookEvent.PullRequestCommentEvent comment) {
                listener.onPullRequestComment(kind, comment);
            }
        } catch (RuntimeException e) {
            LOG.error("webhook: handling " + describe(event) + " failed: " + e.getMessage(), e);
        }
    }

    private static void tooLarge(HttpServerRequest req, long max) {
        LOG.warnf("webhook: body larger than %d bytes refused", max);
        req.response().setStatusCode(413).putHeader("connection", "close").end("body larger than " + max + " bytes\n");
    }

    private static String describe(WebhookEvent e) {
        if (e instanceof WebhookEvent.PushEvent p) {
            return "push to " + p.repository() + " " + p.ref() + " -> " + p.afterSha();
        }
        if (e instanceof WebhookEvent.PullRequestEvent pr) {
            return "pull request #" + pr.number() + " " + pr.action() + " head " + pr.headSha()
                    + (pr.fromFork() ? " (fork " + pr.headRepository() + ")" : "");
        }
        if (e instanceof WebhookEvent.PullRequestCommentEvent c) {
            return "approve comment on pull request #" + c.number() + " of " + c.repository();
        }
        return ((WebhookEvent.IgnoredEvent) e).reason();
    }

    private static ForgeKind kindOf(String name) {
        for (ForgeKind k : ForgeKind.values()) {
            if (k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
