package io.tether.testbed.ecs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The stand-in's command line: which host it is, what it runs, and the ECS agent settings it emulates. */
final class StandInOptions {
  @Option(names = "--host-netns", required = true, description = "The test host's network namespace (this process runs in it)")
  String hostNetns;

  @Option(names = "--host-address", required = true, description = "The host's own address: the control API listens there")
  String hostAddress;

  @Option(names = "--images", required = true, description = "The image table (JSON): image name -> {entrypoint, cmd, env, workingDir}")
  Path images;

  @Option(names = "--secrets", description = "Secrets (JSON object: valueFrom -> value) for the definitions' secrets")
  Path secrets;

  @Option(names = "--work-dir", required = true, description = "Where host-mode containers' copies of the host's files go")
  Path workDir;

  @Option(names = "--cluster", defaultValue = "default", description = "ECS_CLUSTER (default: ${DEFAULT-VALUE})")
  String cluster;

  @Option(names = "--region", defaultValue = "us-east-1", description = "The region of the ARNs (default: ${DEFAULT-VALUE})")
  String region;

  @Option(names = "--account", defaultValue = "111122223333", description = "The account of the ARNs (default: ${DEFAULT-VALUE})")
  String account;

  @Option(names = "--availability-zone", description = "AvailabilityZone in task metadata; external instances have none")
  String availabilityZone;

  @Option(names = "--control-port", defaultValue = "51680", description = "The control API's port (default: ${DEFAULT-VALUE})")
  int controlPort;

  @Option(names = "--introspection-port", defaultValue = "51678", description = "ECS_AGENT introspection port on 127.0.0.1")
  int introspectionPort;

  @Option(names = "--stop-timeout", defaultValue = "30",
      description = "ECS_CONTAINER_STOP_TIMEOUT in seconds, for containers without stopTimeout (default: ${DEFAULT-VALUE})")
  long defaultStopTimeout;

  @Option(names = "--task-cleanup-wait", defaultValue = "10800",
      description = "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION in seconds: how long stopped tasks stay listed (default: 3 h)")
  long taskCleanupWait;
}
