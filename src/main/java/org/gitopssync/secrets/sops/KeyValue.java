package org.gitopssync.secrets.sops;

/**
 * A mapping entry. Values are {@link SopsBranch}, {@code List<Object>} (which may hold {@link Comment}s),
 * String, Long, BigInteger, Double, Boolean, {@link GoTime}, byte[] or null.
 */
record KeyValue(String key, Object value) implements BranchItem {

    @Override
    public String toString() {
        return "KeyValue[" + key + "]";
    }
}
