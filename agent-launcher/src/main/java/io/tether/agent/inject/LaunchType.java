package io.tether.agent.inject;

/** Where the task runs, as {@code --launch-type} says it; inject infers nothing when it is not given. */
public enum LaunchType {
  /** EC2 container instances. */
  EC2,
  /** ECS Anywhere external instances, which have no awsvpc network mode. */
  EXTERNAL
}
