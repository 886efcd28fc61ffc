package org.gitopssync.source;

import java.nio.file.Path;
import java.util.Optional;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.state.SourceMark;

/**
 * The rule that keeps a host from going backwards: a new target must descend from the last commit whose effects
 * went live (a system activated or a secrets generation switched to), or from the commit an operator accepted
 * later with {@code reset --to}.
 */
public final class TargetPolicy {

    private final String configOption;

    /** For the default configuration file: the recovery hint needs no {@code --config}. */
    public TargetPolicy() {
        this(SettingsLoader.DEFAULT_PATH);
    }

    /** {@code configFile} is the configuration in use, named in the recovery hint when it is not the default. */
    public TargetPolicy(Path configFile) {
        this.configOption = configFile.toAbsolutePath().equals(SettingsLoader.DEFAULT_PATH) ? ""
                : " --config " + configFile.toAbsolutePath();
    }

    /** Throws {@link TargetRefusedException} naming both commits when {@code target} is not a descendant. */
    public void check(GitSource source, String branch, String target, Optional<SourceMark> lastLive,
            Optional<SourceMark> trustedBase) {
        String base;
        String what;
        if (trustedBase.isPresent()) {
            // reset --to moves the base explicitly; it supersedes older deployments
            base = trustedBase.get().commit();
            what = "the commit accepted by `gitops-sync reset`";
        } else if (lastLive.isPresent()) {
            base = lastLive.get().commit();
            what = lastLive.get().note() != null && lastLive.get().note().startsWith(SourceMark.SECRETS_WENT_LIVE)
                    ? "the last commit whose secrets went live" : "the last deployed commit";
        } else {
            return;
        }
        if (!source.descendsFrom(target, base)) {
            throw new TargetRefusedException(branch, target, base, what, configOption);
        }
    }
}
