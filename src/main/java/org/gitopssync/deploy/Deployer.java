package org.gitopssync.deploy;

import java.nio.file.Path;
import java.util.Optional;
import org.gitopssync.Cancellation;

/** Activates a built system on this machine, rolling back on failure when configured to. */
public interface Deployer {

    /** Never throws for a failed activation: the outcome, rollback included, is in the result. */
    Activation activate(ActivationRequest request, Cancellation cancellation);

    /** The method's name as configured ({@code profile}, {@code nixos-rebuild}). */
    String method();

    /**
     * After a health gate that never finished: activates what the profile names unless it already runs; says
     * what it did, or empty. Throws {@link DeployException} when that activation fails.
     */
    Optional<String> reactivateProfile(Path log);

}
