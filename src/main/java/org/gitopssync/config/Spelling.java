package org.gitopssync.config;

import java.util.Collection;

/** Finds the known key a misspelled one most likely meant. */
public final class Spelling {

    private Spelling() {
    }

    public static String closest(String word, Collection<String> candidates) {
        // a shortened name (GITOPS_DEPLOY_ROLLBACK) means the one key it starts, not a similar short one
        String extended = null;
        int extensions = 0;
        for (String c : candidates) {
            if (c.length() > word.length() && c.toLowerCase().startsWith(word.toLowerCase())
                    && "_.-".indexOf(c.charAt(word.length())) >= 0) {
                extended = c;
                extensions++;
            }
        }
        if (extensions == 1) {
            return extended;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, word.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
