package org.gitopssync.faults;

import org.gitopssync.testing.Processes;

/**
 * {@code kill -9} while fetching: the repository is served over smart HTTP by a server that advertises its refs
 * at once and then holds the pack. Then a rerun.
 */
class FetchKillIT extends StageKillScenario {

    private SlowGitServerDouble git;

    @Override
    String stage() {
        return "source";
    }

    @Override
    void configure() throws Exception {
        git = new SlowGitServerDouble(repo.dir().resolve(".git"));
        fixture.url(git.url());
    }

    @Override
    void makeSlow() {
        git.hold();
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        if (!Processes.await(() -> git.held() > 0 && !db.runningCycles().isEmpty())) {
            throw new AssertionError("the agent never asked for the pack; stderr:\n" + agent.stderr());
        }
    }

    @Override
    void lift() {
        git.release();
    }

    @Override
    void closeStage() throws Exception {
        if (git != null) {
            git.close();
        }
    }
}
