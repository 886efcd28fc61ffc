package org.gitopssync.reconcile;

/** Words for a failure no stage anticipated (a bug, or input that exhausts the stack), without class names. */
final class UnexpectedFailure {

    private UnexpectedFailure() {
    }

    static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "the stack overflowed (a document nested too deeply?)";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "an unexpected failure" : message.lines().findFirst().orElse("");
    }
}
