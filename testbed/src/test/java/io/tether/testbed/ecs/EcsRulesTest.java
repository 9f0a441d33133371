package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulation's rules that need no host: Docker's argv, ECS's definition checks, ordering, health verdicts. */
class EcsRulesTest {
  private static final ImageTable IMAGES = ImageTable.parse(GoJson.object()
      .set("app:1", GoJson.MAPPER.valueToTree(java.util.Map.of("entrypoint", List.of("/bin/app", "--serve"),
          "cmd", List.of("8080")))));

  @Test
  void dockerCombinesEntrypointAndCmdLikeDocker() {
    ImageTable.Image app = IMAGES.find("app:1").orElseThrow();
    assertThat(app.argv(null, null)).containsExactly("/bin/app", "--serve", "8080");
    assertThat(app.argv(null, List.of("9090"))).as("command replaces CMD").containsExactly("/bin/app", "--serve", "9090");
    assertThat(app.argv(List.of("/bin/sh", "-c"), null)).as("entryPoint drops the image's CMD").containsExactly("/bin/sh", "-c");
    assertThat(app.argv(List.of("/bin/sh", "-c"), List.of("echo"))).containsExactly("/bin/sh", "-c", "echo");
    assertThatThrownBy(() -> app.argv(List.of(), List.of())).hasMessageContaining("no command specified");
  }

  @Test
  void imagesResolveAsDockerNamesThem() {
    ImageTable table = ImageTable.parse(GoJson.object().set("shell:latest", GoJson.object().set("command",
        GoJson.array().add("/bin/sh"))));
    assertThat(table.find("shell")).as("no tag is :latest").isPresent();
    assertThat(table.find("shell:2")).isEmpty();
    assertThat(IMAGES.find("app")).isEmpty();
    assertThatThrownBy(() -> ImageTable.parse(GoJson.object().set("x", GoJson.object().put("Cmd", "y"))))
        .hasMessageContaining("unknown field Cmd");
  }

  @Test
  void definitionsEcsWouldRefuseAreRefused() {
    assertThatThrownBy(() -> TaskDefinition.parse(Defs.task("", "bridge", Defs.bash("a", "x")))).hasMessageContaining("Family");
    assertThatThrownBy(() -> TaskDefinition.parse(Defs.task("f", "bridge", Defs.bash("a", "x"), Defs.bash("a", "y"))))
        .hasMessageContaining("Duplicate container name a");
    assertThatThrownBy(() -> TaskDefinition.parse(Defs.task("f", "bridge", Defs.dependsOn(Defs.bash("a", "x"), "b", "START"))))
        .hasMessageContaining("unknown container b");
    assertThatThrownBy(() -> TaskDefinition.parse(Defs.task("f", "bridge", Defs.essential(Defs.bash("a", "x"), false))))
        .hasMessageContaining("at least one essential");
    assertThatThrownBy(() -> TaskDefinition.parse(Defs.task("f", "host", Defs.port(Defs.bash("a", "x"), 80, 8080))))
        .hasMessageContaining("containerPort and hostPort must be equal");
    ObjectNode wrapped = GoJson.object().set("taskDefinition", Defs.task("f", "bridge", Defs.bash("a", "x")).put("revision", 7));
    assertThat(TaskDefinition.parse(wrapped).revision()).as("describe-task-definition output").isEqualTo("7");
  }

  @Test
  void linksAreStartDependenciesAndOnlyForTheBridge() {
    ObjectNode linking = Defs.bash("b", "x");
    linking.putArray("links").add("a:alias");
    TaskDefinition td = TaskDefinition.parse(Defs.task("f", "bridge", Defs.bash("a", "x"), linking));
    assertThat(td.container("b").dependsOn()).containsExactly(new ContainerDefinition.DependsOn("a", "START"));
    assertThatThrownBy(() -> TaskDefinition.parse(Defs.task("f", "host", Defs.bash("a", "x"), linking.deepCopy())))
        .hasMessageContaining("links are not supported");
  }

  @Test
  void dependencyCyclesAndHealthyWithoutAHealthCheckCanNeverResolve() {
    TaskDefinition cycle = TaskDefinition.parse(Defs.task("f", "bridge", Defs.dependsOn(Defs.bash("a", "x"), "b", "START"),
        Defs.dependsOn(Defs.bash("b", "x"), "a", "START")));
    assertThat(Dependencies.invalid(cycle)).hasValueSatisfying(why -> assertThat(why).contains("cycle"));
    TaskDefinition healthy = TaskDefinition.parse(Defs.task("f", "bridge", Defs.bash("a", "x"),
        Defs.dependsOn(Defs.bash("b", "x"), "a", "HEALTHY")));
    assertThat(Dependencies.invalid(healthy)).hasValueSatisfying(why -> assertThat(why).contains("no healthCheck"));
  }

  @Test
  void eachConditionHoldsWhenEcsSaysItDoes() {
    EcsTask task = task("START", "HEALTHY", "COMPLETE", "SUCCESS");
    EcsContainer dep = task.container("dep");
    Instant now = Instant.now();
    task.containers.stream().filter(c -> c != dep).forEach(c -> assertThat(Dependencies.mayProgress(c, task, now).resolved()).isFalse());
    dep.known = ContainerStatus.RUNNING;
    dep.startedAt = now;
    assertThat(Dependencies.mayProgress(task.container("START"), task, now).resolved()).isTrue();
    assertThat(Dependencies.mayProgress(task.container("HEALTHY"), task, now).resolved()).isFalse();
    dep.health = dep.health.next(ContainerHealth.Status.HEALTHY, "", 0, now);
    assertThat(Dependencies.mayProgress(task.container("HEALTHY"), task, now).resolved()).isTrue();
    dep.exited(3, now);
    assertThat(Dependencies.mayProgress(task.container("COMPLETE"), task, now).resolved()).isTrue();
    assertThat(Dependencies.mayProgress(task.container("SUCCESS"), task, now).never()).hasValueSatisfying(w -> assertThat(w).contains("exited 3"));
    assertThat(Dependencies.mayProgress(task.container("START"), task, now).resolved()).as("it did start").isTrue();
  }

  @Test
  void aDependencyStoppedBeforeItRanOrPastItsStartTimeoutNeverResolves() {
    EcsTask stopped = task("START");
    stopped.container("dep").failed("no image", Instant.now());
    assertThat(Dependencies.mayProgress(stopped.container("START"), stopped, Instant.now()).never()).isPresent();

    EcsTask slow = task("COMPLETE");
    EcsContainer dep = slow.container("dep");
    dep.known = ContainerStatus.RUNNING;
    dep.startedAt = Instant.now().minusSeconds(11);
    assertThat(Dependencies.mayProgress(slow.container("COMPLETE"), slow, Instant.now()).never())
        .hasValueSatisfying(w -> assertThat(w).contains("startTimeout"));
  }

  @Test
  void aContainerStopsOnlyAfterEveryContainerDependingOnIt() {
    EcsTask task = task("START", "HEALTHY");
    assertThat(Dependencies.stopFirst(task.container("dep"), task)).containsExactly("START", "HEALTHY");
    task.container("START").exited(0, Instant.now());
    assertThat(Dependencies.stopFirst(task.container("dep"), task)).containsExactly("HEALTHY");
    assertThat(Dependencies.stopFirst(task.container("HEALTHY"), task)).isEmpty();
  }

  @Test
  void dockerIgnoresFailuresInTheStartPeriodAndCountsRetriesAfter() {
    HealthCheck check = new HealthCheck(List.of("CMD", "true"), Duration.ofSeconds(1), Duration.ofSeconds(1), 2,
        Duration.ofSeconds(10));
    Instant start = Instant.now();
    DockerHealthState state = new DockerHealthState(check, start);
    assertThat(state.record(1, start.plusSeconds(1))).isEqualTo(ContainerHealth.Status.UNKNOWN);
    assertThat(state.record(1, start.plusSeconds(2))).as("in the start period").isEqualTo(ContainerHealth.Status.UNKNOWN);
    assertThat(state.record(1, start.plusSeconds(11))).isEqualTo(ContainerHealth.Status.UNKNOWN);
    assertThat(state.record(1, start.plusSeconds(12))).isEqualTo(ContainerHealth.Status.UNHEALTHY);
    assertThat(state.record(0, start.plusSeconds(13))).isEqualTo(ContainerHealth.Status.HEALTHY);
    assertThat(state.record(1, start.plusSeconds(14))).as("one failure of two").isEqualTo(ContainerHealth.Status.HEALTHY);
    DockerHealthState early = new DockerHealthState(check, start);
    assertThat(early.record(0, start.plusSeconds(1))).as("a pass in the start period counts").isEqualTo(ContainerHealth.Status.HEALTHY);
    assertThat(early.record(1, start.plusSeconds(2))).isEqualTo(ContainerHealth.Status.HEALTHY);
    assertThat(early.record(1, start.plusSeconds(3))).as("no start period once healthy").isEqualTo(ContainerHealth.Status.UNHEALTHY);
  }

  @Test
  void healthKeepsItsSinceAndOutputUntilTheStatusChanges() {
    Instant t0 = Instant.now();
    ContainerHealth healthy = ContainerHealth.INITIAL.next(ContainerHealth.Status.HEALTHY, "ok", 0, t0);
    assertThat(healthy.next(ContainerHealth.Status.HEALTHY, "ok again", 0, t0.plusSeconds(1))).isSameAs(healthy);
    ContainerHealth unhealthy = healthy.next(ContainerHealth.Status.UNHEALTHY, "down", 7, t0.plusSeconds(2));
    assertThat(unhealthy).isEqualTo(new ContainerHealth(ContainerHealth.Status.UNHEALTHY, t0.plusSeconds(2), "down", 7));
  }

  /** A task whose container {@code dep} (health check, startTimeout 10 s) is depended on by one container per condition. */
  private static EcsTask task(String... conditions) {
    ObjectNode dep = Defs.shellCheck(Defs.bash("dep", "x"), "true", 1, 1).put("startTimeout", 10);
    ObjectNode td = Defs.task("f", "bridge", dep);
    for (String condition : conditions) {
      td.withArray("containerDefinitions").add(Defs.dependsOn(Defs.bash(condition, "x"), "dep", condition));
    }
    return new EcsTask("id", "arn", TaskDefinition.parse(td), new Ids("us-east-1", "1", "default"));
  }
}
