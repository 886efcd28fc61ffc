package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitopssync.ci.BuildGraph.Node;
import org.junit.jupiter.api.Test;

/** Readiness, topological order and failure propagation, without nix. */
class BuildGraphTest {

    private static DerivationInfo drv(String name, String... inputs) {
        Set<String> in = new java.util.HashSet<>();
        for (String i : inputs) {
            in.add(path(i));
        }
        return new DerivationInfo(path(name), Map.of("out", "/nix/store/h-" + name), in);
    }

    private static String path(String name) {
        return "/nix/store/h-" + name + ".drv";
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(n -> n.info.name()).toList();
    }

    @Test
    void dependenciesBuildFirstAndDependentsBecomeReadyWhenAllInputsAreBuilt() {
        BuildGraph g = new BuildGraph();
        g.add(List.of(drv("app", "lib", "tool"), drv("lib"), drv("tool"), drv("other", "missing-but-valid")));

        assertThat(names(g.takeReady(10))).containsExactlyInAnyOrder("lib", "tool", "other");
        assertThat(g.takeReady(10)).isEmpty();
        g.finish(g.node(path("lib")), CiStatus.BUILT);
        assertThat(g.takeReady(10)).as("tool still building").isEmpty();
        g.finish(g.node(path("tool")), CiStatus.BUILT);
        assertThat(names(g.takeReady(10))).containsExactly("app");
        assertThat(g.running()).isEqualTo(2);
    }

    @Test
    void theHeightOfTheFirstReadyNodeIsTheChainWaitingOnIt() {
        BuildGraph g = new BuildGraph();
        assertThat(g.readyHeight()).as("nothing ready").isEqualTo(-1);
        g.add(List.of(drv("leaf"), drv("base"), drv("mid", "base"), drv("top", "mid")));

        assertThat(g.readyHeight()).isEqualTo(2);
        assertThat(names(g.takeReady(1))).containsExactly("base");
        assertThat(g.readyHeight()).isZero();
    }

    @Test
    void takeReadyRespectsTheLimit() {
        BuildGraph g = new BuildGraph();
        g.add(List.of(drv("a"), drv("b"), drv("c")));
        assertThat(g.takeReady(2)).hasSize(2);
        assertThat(g.takeReady(0)).isEmpty();
        assertThat(g.unsettled()).isEqualTo(3);
    }

    @Test
    void aFailureSettlesEveryTransitiveDependentAsDependencyFailed() {
        BuildGraph g = new BuildGraph();
        g.add(List.of(drv("base"), drv("mid", "base"), drv("top", "mid"), drv("side")));
        g.takeReady(10);

        List<Node> settled = g.finish(g.node(path("base")), CiStatus.FAILED);

        assertThat(names(settled)).containsExactlyInAnyOrder("mid", "top");
        assertThat(g.node(path("top")).status).isEqualTo(CiStatus.DEPENDENCY_FAILED);
        assertThat(g.node(path("top")).cause.info.name()).isEqualTo("base");
        assertThat(g.unsettled()).as("side is still running").isEqualTo(1);
    }

    @Test
    void nodesAddedLaterSeeEarlierResults() {
        BuildGraph g = new BuildGraph();
        g.add(List.of(drv("base"), drv("broken")));
        g.takeReady(10);
        g.finish(g.node(path("base")), CiStatus.BUILT);
        g.finish(g.node(path("broken")), CiStatus.FAILED);

        List<Node> settled = g.add(List.of(drv("uses-base", "base"), drv("uses-broken", "broken"), drv("above", "uses-broken")));

        assertThat(names(settled)).containsExactlyInAnyOrder("uses-broken", "above");
        assertThat(names(g.takeReady(10))).containsExactly("uses-base");
    }

    @Test
    void aSkippedNodeIsAFailureForItsDependentsAndCancellationStopsTheRest() {
        BuildGraph g = new BuildGraph();
        g.add(List.of(drv("cached-failure"), drv("after", "cached-failure"), drv("x"), drv("y", "x")));
        assertThat(names(g.finish(g.node(path("cached-failure")), CiStatus.SKIPPED_CACHED_FAILURE)))
                .containsExactly("after");
        assertThat(names(g.takeReady(1))).containsExactly("x");

        assertThat(names(g.cancelPending())).containsExactly("y");
        assertThat(g.finish(g.node(path("x")), CiStatus.CANCELLED)).isEmpty();
        assertThat(g.unsettled()).isZero();
    }
}
