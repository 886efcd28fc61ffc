/**
 * HashiCorp Vault access for the secrets stage: token or AppRole login, namespaces, token renewal, KV v1/v2
 * reads and the transit decrypt that sops {@code hc_vault} keys need.
 */
package org.gitopssync.secrets.vault;
