package org.gitopssync.ci;

import java.util.ArrayList;
import java.util.List;

/** An evaluation the engine stored: the commit and run it came from, and its attributes in order. */
record RememberedEvaluation(String commit, long runId, List<EvaluatedAttribute> attributes) {

    RememberedEvaluation {
        attributes = List.copyOf(attributes);
    }

    /** Every derivation and output path the evaluation names. */
    List<String> paths() {
        List<String> out = new ArrayList<>();
        for (EvaluatedAttribute a : attributes) {
            out.add(a.drvPath());
            out.addAll(a.outputs().values());
        }
        return out;
    }
}
