package org.gitopssync.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.CommandResult;

/**
 * The attribute names a {@code nix eval --json} of a set's names printed; when the evaluation
 * failed, the set itself is reported as an evaluation failure and there are no names.
 */
final class EvalNames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalNames() {
    }

    static List<String> from(CommandResult r, CiTarget set, Consumer<EvalJob> sink, Cancellation cancellation) {
        if (!r.succeeded()) {
            if (!cancellation.isCancelled()) {
                sink.accept(EvalJob.failure(set, NixErrors.message(r)));
            }
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            JSON.readTree(r.stdout()).forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new CiException("cannot parse the attribute names of " + set + " from nix eval: " + e.getMessage(), e);
        }
    }
}
