package org.gitopssync.ci;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The Nix expressions of the {@code nix eval} evaluator. The batch expression maps every
 * attribute through {@code builtins.tryEval}, so a {@code throw} or failed {@code assert} in one
 * check is that check's {@code { error }} instead of the whole evaluation's failure.
 */
final class EvalExpression {

    private EvalExpression() {
    }

    /**
     * All of {@code request}'s attributes in one evaluation, to {@code { checks = { name = { drvPath,
     * outputs? } | { error } }; hosts = { ... }; }}; {@code checkNames} and {@code hostNames} (null:
     * all of them) restrict the set when bisecting after a hard error. {@code outputs} (name to path)
     * costs the evaluation nothing once it has the derivation, and spares the run reading every
     * derivation back from the store just to learn whether its outputs are there.
     */
    static String batch(EvalRequest request, List<String> checkNames, List<String> hostNames) {
        String checks;
        if (!request.checks()) {
            checks = "{ }";
        } else if (checkNames == null) {
            checks = "builtins.mapAttrs (n: try) checksOf";
        } else {
            checks = "builtins.listToAttrs (map (n: { name = n; value = if checksOf ? ${n} then try checksOf.${n}"
                    + " else { error = \"no such check\"; }; }) " + list(checkNames) + ")";
        }
        String hosts = hostNames == null ? "builtins.attrNames hostsOf" : list(hostNames);
        return prelude(request) + """
                in {
                  checks = %s;
                  hosts = builtins.listToAttrs (map (h: { name = h; value = systemOf h; }) %s);
                }
                """.formatted(checks, hosts);
    }

    /** One check's derivation, without tryEval: its error message is what we want. */
    static String check(EvalRequest request, String name) {
        return prelude(request) + "in checksOf.${" + string(name) + "}.drvPath\n";
    }

    /** One host's system derivation, without tryEval. */
    static String system(EvalRequest request, String host) {
        return prelude(request) + "in hostsOf.${" + string(host) + "}.config.system.build.toplevel.drvPath\n";
    }

    static String checkNames(EvalRequest request) {
        return prelude(request) + "in builtins.attrNames checksOf\n";
    }

    static String hostNames(EvalRequest request) {
        return prelude(request) + "in builtins.attrNames hostsOf\n";
    }

    private static String prelude(EvalRequest request) {
        return """
                let
                  flake = builtins.getFlake %s;
                  outputsOf = v: let names = v.outputs or [ "out" ]; in if !builtins.isList names then { } else
                    builtins.listToAttrs (map (o: { name = o; value = (v.${o} or { }).outPath or null; })
                      (builtins.filter builtins.isString names));
                  try = v:
                    let r = builtins.tryEval (if builtins.isAttrs v && v ? drvPath then v.drvPath else null);
                        o = builtins.tryEval (let x = outputsOf v; in builtins.deepSeq x x);
                    in if !r.success then { error = null; }
                       else if r.value == null then { error = "not a derivation"; }
                       else { drvPath = r.value; } // (if o.success then { outputs = o.value; } else { });
                  checksOf = (flake.outputs.${%s} or { }).${%s} or { };
                  hostsOf = flake.outputs.nixosConfigurations or { };
                  systemOf = h: if hostsOf ? ${h} then try hostsOf.${h}.config.system.build.toplevel
                    else { error = "the flake has no nixosConfigurations." + h; };
                """.formatted(string(request.flakeRef()), string(request.checksAttribute()), string(request.system()));
    }

    /** A Nix string literal: nothing inside can end it or interpolate. */
    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '$' -> b.append("\\$");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String list(List<String> items) {
        return items.stream().map(EvalExpression::string).collect(Collectors.joining(" ", "[ ", " ]"));
    }
}
