package org.gitopssync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.gitopssync.GitopsException;

/**
 * Seeded mutation of known-good inputs, and the check every parser must pass on them: each input ends in
 * success or a typed {@link GitopsException} whose message is one line without Java names, and none hangs.
 */
public final class Mutations {

    /** What a parser does with one input; returning normally is success. */
    @FunctionalInterface
    public interface Parser {
        void parse(byte[] input) throws Exception;
    }

    private static final long PER_INPUT_SECONDS = 10;
    private static final Pattern JAVA_NAMES = Pattern.compile("Exception|Error\\b|java\\.|javax\\.");
    private static final String[] TOKENS = {"[", "]", "{", "}", "\"", "'", "#", ":", ",", "=", "\n", "\r\n", "\u0000",
        "\u0007", "\t", "-", "--- ", "-> ", "ENC[", "]]", "[[", "\\", "\\u0000", "&a", "*a", "!!binary", "null", "1e999",
        "-9223372036854775809", "\uFEFF", "\uD800", "é", "${", "%", "0x", ">", "|"};

    private Mutations() {
    }

    /** {@code count} mutants of the seeds, the same for the same {@code seed}. */
    public static List<byte[]> of(List<byte[]> seeds, long seed, int count) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] input = seeds.get(random.nextInt(seeds.size()));
            int rounds = 1 + random.nextInt(3);
            for (int r = 0; r < rounds; r++) {
                input = mutateOnce(input, random);
            }
            out.add(input);
        }
        return out;
    }

    private static byte[] mutateOnce(byte[] input, Random random) {
        int length = input.length;
        int at = length == 0 ? 0 : random.nextInt(length);
        switch (random.nextInt(9)) {
            case 0 -> { // flip a bit
                if (length == 0) {
                    return input;
                }
                byte[] copy = input.clone();
                copy[at] ^= (byte) (1 << random.nextInt(8));
                return copy;
            }
            case 1 -> { // delete a range
                int end = Math.min(length, at + 1 + random.nextInt(Math.max(1, length / 8)));
                return splice(input, at, end, new byte[0]);
            }
            case 2 -> { // truncate
                return splice(input, at, length, new byte[0]);
            }
            case 3 -> { // insert a token
                return splice(input, at, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> { // duplicate a range
                int end = Math.min(length, at + 1 + random.nextInt(64));
                byte[] range = new byte[end - at];
                System.arraycopy(input, at, range, 0, range.length);
                return splice(input, at, at, range);
            }
            case 5 -> { // deep nesting
                String open = List.of("[", "{", "{a=", "{\"a\":", "- ", "a:\n ", "[[").get(random.nextInt(7));
                return splice(input, at, at, open.repeat(200 + random.nextInt(3000)).getBytes(StandardCharsets.UTF_8));
            }
            case 6 -> { // replace a byte with a random one
                if (length == 0) {
                    return input;
                }
                byte[] copy = input.clone();
                copy[at] = (byte) random.nextInt(256);
                return copy;
            }
            case 7 -> { // swap two halves
                return splice(input, 0, length, concat(slice(input, at, length), slice(input, 0, at)));
            }
            default -> { // repeat a line many times
                int end = at;
                while (end < length && input[end] != '\n') {
                    end++;
                }
                byte[] line = slice(input, at, Math.min(length, end + 1));
                byte[] many = new byte[0];
                for (int i = 0; i < 1 + random.nextInt(50); i++) {
                    many = concat(many, line);
                }
                return splice(input, at, at, many);
            }
        }
    }

    /**
     * Runs the parser on every input in-process, each with its own deadline, and asserts that each one ends in
     * success or a one-line typed error; the failures found are listed together.
     */
    public static int assertEveryInputEndsCleanly(String what, List<byte[]> inputs, Parser parser) {
        ExecutorService executor = daemonExecutor(what);
        List<String> problems = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < inputs.size() && problems.size() < 5; i++) {
                byte[] input = inputs.get(i);
                Future<?> outcome = executor.submit(() -> {
                    parser.parse(input);
                    return null;
                });
                try {
                    outcome.get(PER_INPUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    outcome.cancel(true);
                    problems.add(what + " input " + i + ": no answer within " + PER_INPUT_SECONDS + " s");
                    // A hung parser keeps its thread: continue on a fresh one.
                    executor.shutdownNow();
                    executor = daemonExecutor(what);
                } catch (ExecutionException e) {
                    Throwable failure = e.getCause();
                    String message = String.valueOf(failure.getMessage());
                    if (!(failure instanceof GitopsException)) {
                        problems.add(what + " input " + i + ": untyped " + failure);
                    } else if (message.contains("\n") || JAVA_NAMES.matcher(message).find()
                            || message.toLowerCase().contains("internal error")) {
                        problems.add(what + " input " + i + ": message not fit for a person: " + message);
                    } else {
                        refused++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(problems).as("%s: inputs that did not end cleanly", what).isEmpty();
        return refused;
    }

    private static ExecutorService daemonExecutor(String what) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mutation-" + what);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static byte[] splice(byte[] input, int from, int to, byte[] insert) {
        return concat(concat(slice(input, 0, from), insert), slice(input, to, input.length));
    }

    private static byte[] slice(byte[] input, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        System.arraycopy(input, from, out, 0, out.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
