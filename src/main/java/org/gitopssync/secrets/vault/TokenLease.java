package org.gitopssync.secrets.vault;

import java.time.Duration;

/**
 * What Vault said about the current token: how long it lives and whether it can be renewed.
 *
 * @param ttl the lease duration (zero for tokens that never expire, such as root tokens)
 * @param renewable whether {@code renew-self} can extend it
 */
public record TokenLease(Duration ttl, boolean renewable) {
}
