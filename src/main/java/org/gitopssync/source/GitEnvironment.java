package org.gitopssync.source;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the host's system-wide git configuration out of the agent, as {@code GIT_CONFIG_NOSYSTEM}
 * does for git: a stray {@code url.insteadOf} in /etc/gitconfig must not redirect what gets
 * deployed, and JGit would otherwise run {@code git} itself at every start to find that file.
 */
final class GitEnvironment {

    private static volatile boolean installed;

    private GitEnvironment() {
    }

    static synchronized void isolate() {
        if (installed) {
            return;
        }
        SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {
            @Override
            public String getenv(String variable) {
                return Constants.GIT_CONFIG_NOSYSTEM_KEY.equals(variable) ? "1" : super.getenv(variable);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return new EmptyConfig(parent, fs);
            }
        });
        installed = true;
    }

    /** A system configuration that is always empty and never needs reloading. */
    private static final class EmptyConfig extends FileBasedConfig {
        EmptyConfig(Config parent, FS fs) {
            super(parent, null, fs);
        }

        @Override
        public void load() {
            // nothing to read: the system configuration is deliberately ignored
        }

        @Override
        public boolean isOutdated() {
            return false;
        }
    }
}
