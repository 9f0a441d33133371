package io.tether.model;

/** Health of one endpoint as the agent beside it last reported. Only HEALTHY endpoints get new traffic. */
public enum Health {
  HEALTHY, UNHEALTHY, DRAINING
}
