package org.gitopssync.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.ci.CiListener;
import org.gitopssync.ci.CiStatus;
import org.gitopssync.ci.CiTarget;

/**
 * Progress of a CI run for a person: on a terminal a few lines redrawn in place (counts and
 * the builds running now with their elapsed time), elsewhere one plain line per event worth
 * keeping in a log. Failures are printed as permanent lines in both.
 */
final class ProgressView implements CiListener, AutoCloseable {

    private static final int SHOWN_BUILDS = 8;
    private static final long REDRAW_MILLIS = 200;

    private final PrintWriter out;
    private final boolean live;
    private final Map<String, Running> building = new LinkedHashMap<>();
    private final List<String> pendingLines = new ArrayList<>();
    private Thread redrawer;
    private int evaluated;
    private int evalFailed;
    private boolean evaluationOver;
    private int queued;
    private int done;
    private int failed;
    private int drawnLines;

    private record Running(String label, long startedNanos) {
    }

    private ProgressView(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** Redrawn in place; for a terminal. */
    static ProgressView live(PrintWriter out) {
        ProgressView v = new ProgressView(out, true);
        v.redrawer = new Thread(v::redrawLoop, "ci-progress");
        v.redrawer.setDaemon(true);
        v.redrawer.start();
        return v;
    }

    /** One line per event; for logs and pipes. */
    static ProgressView plain(PrintWriter out) {
        return new ProgressView(out, false);
    }

    @Override
    public synchronized void evaluated(CiTarget target, String error) {
        evaluated++;
        if (error != null) {
            evalFailed++;
            line("eval failed  " + target.attribute() + ": " + firstLine(error));
        }
    }

    @Override
    public synchronized void evaluationFinished(int attributes) {
        evaluationOver = true;
        if (!live) {
            line("evaluated " + attributes + " attributes" + (evalFailed == 0 ? "" : " (" + evalFailed + " failed)"));
        }
    }

    @Override
    public synchronized void queued(int derivations) {
        queued += derivations;
    }

    @Override
    public synchronized void buildStarted(String drvPath, String label) {
        building.put(drvPath, new Running(label, System.nanoTime()));
        if (!live) {
            line("building     " + label);
        }
    }

    @Override
    public synchronized void buildStopped(String drvPath) {
        building.remove(drvPath);
    }

    @Override
    public synchronized void buildFinished(String drvPath, String label, CiStatus status, Duration took) {
        building.remove(drvPath);
        done++;
        if (status.failed()) {
            failed++;
        }
        if (status.failed() || !live) {
            line(String.format("%-12s %s%s", status.word(), label, took.isZero() ? "" : " (" + seconds(took) + ")"));
        }
    }

    private void line(String text) {
        if (live) {
            pendingLines.add(text);
        } else {
            out.println(text);
            out.flush();
        }
    }

    private void redrawLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            redraw();
            try {
                Thread.sleep(REDRAW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void redraw() {
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) {
            // back to the first line of the previous frame, and clear everything below
            b.append("\u001B[").append(drawnLines).append('F');
        }
        b.append("\u001B[J");
        for (String l : pendingLines) {
            b.append(l).append('\n');
        }
        pendingLines.clear();
        List<String> frame = frame();
        frame.forEach(l -> b.append(l).append('\n'));
        drawnLines = frame.size();
        out.print(b);
        out.flush();
    }

    private List<String> frame() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s %d attributes%s | queued %d | building %d | done %d | failed %d",
                evaluationOver ? "evaluated" : "evaluating…", evaluated,
                evalFailed == 0 ? "" : " (" + evalFailed + " failed)",
                Math.max(0, queued - done - building.size()), building.size(), done, failed));
        long now = System.nanoTime();
        int shown = 0;
        for (Running r : building.values()) {
            if (shown++ == SHOWN_BUILDS) {
                lines.add("  … and " + (building.size() - SHOWN_BUILDS) + " more");
                break;
            }
            lines.add(String.format("  %6s  %s", seconds(Duration.ofNanos(now - r.startedNanos())), r.label()));
        }
        return lines;
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? d.toMillis() / 100 / 10.0 + "s" : s / 60 + "m" + String.format("%02d", s % 60) + "s";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        if (redrawer != null) {
            redrawer.interrupt();
            try {
                redrawer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            redraw();
        }
    }
}
