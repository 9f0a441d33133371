package io.tether.testbed.ecs;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The identifiers ECS and Docker give, in their formats: task and container-instance ARNs with a 32-hex id,
 * 64-hex Docker IDs, Docker names {@code ecs-FAMILY-REVISION-NAME-HEX20} (agent/engine/docker_task_engine.go),
 * and a UUID per container for its metadata endpoint (the agent's V3EndpointID).
 */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String region;
  private final String account;
  private final String clusterName;

  Ids(String region, String account, String cluster) {
    this.region = region;
    this.account = account;
    this.clusterName = cluster.contains("/") ? cluster.substring(cluster.lastIndexOf('/') + 1) : cluster;
  }

  String containerInstanceArn() {
    return arn("container-instance/" + clusterName + "/" + hex(16));
  }

  String taskArn(String taskId) {
    return arn("task/" + clusterName + "/" + taskId);
  }

  String containerArn(String taskId) {
    return arn("container/" + clusterName + "/" + taskId + "/" + UUID.randomUUID());
  }

  static String taskId() {
    return hex(16);
  }

  static String dockerId() {
    return hex(32);
  }

  /** Docker allows letters, digits and hyphens of the container name here; the rest is dropped. */
  static String dockerName(String family, String revision, String container) {
    return "ecs-" + family + "-" + revision + "-" + container.replaceAll("[^A-Za-z0-9-]+", "") + "-" + hex(10);
  }

  static String endpointId() {
    return UUID.randomUUID().toString();
  }

  /** The last segment of a task ARN: the task id. */
  static String idOf(String taskArn) {
    return taskArn.substring(taskArn.lastIndexOf('/') + 1);
  }

  String region() {
    return region;
  }

  private String arn(String resource) {
    return "arn:aws:ecs:" + region + ":" + account + ":" + resource;
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
