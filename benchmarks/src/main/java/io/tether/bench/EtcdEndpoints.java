package io.tether.bench;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.tether.model.Endpoint;
import io.tether.model.json.Json;
import io.tether.registry.store.KeyLayout;
import io.tether.xds.render.ResourceNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The endpoints etcd itself holds for the scale namespace's services, read from etcd rather than from
 * Tether's view, as the fingerprint ({@link EndpointSet}) of each service's EDS cluster: what the streams'
 * ACKed state is compared with.
 */
final class EtcdEndpoints {
  private EtcdEndpoints() {}

  static Map<String, Long> fingerprints(Client etcd, KeyLayout keys, String ns, int services) throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < services; i++) {
      String svc = "svc" + i;
      List<Endpoint> endpoints = new ArrayList<>();
      GetOption prefix = GetOption.builder().isPrefix(true).build();
      for (KeyValue kv : etcd.getKVClient().get(keys.endpointsOf(ns, svc), prefix).get(10, TimeUnit.SECONDS).getKvs()) {
        endpoints.add(Json.parse(kv.getValue().getBytes(), Endpoint.class));
      }
      out.put(ResourceNames.cluster(ns, svc), EndpointSet.of(endpoints));
    }
    return out;
  }
}
