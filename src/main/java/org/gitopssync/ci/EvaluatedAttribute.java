package org.gitopssync.ci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One attribute of a finished evaluation: its derivation and every output path. */
record EvaluatedAttribute(CiTarget target, String drvPath, Map<String, String> outputs) {

    EvaluatedAttribute {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
}
