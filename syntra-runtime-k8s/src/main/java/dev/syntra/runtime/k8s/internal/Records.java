package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The deploy history, kept in the cluster: one record Secret per deployment holding its env values
 * (which its pods read) and its whole deploy command in the protocol's wire form, which rollback
 * reads back. The newest {@value #KEEP} records and every record a Deployment still uses are kept.
 */
public final class Records {
  static final int KEEP = 10;

  private final Cluster cluster;
  private final Clock clock;
  private final MessageCodec codec = MessageCodec.create(8 << 20);

  public Records(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** The record of {@code spec}, ready to create. */
  public Secret recordOf(DeploySpec spec) {
    String json = codec.encode(Envelope.of(new DeployCommand(spec), clock));
    return Manifests.record(spec, json, clock.instant());
  }

  public boolean exists(ServiceRef service, String deploymentId) {
    return find(service, deploymentId).isPresent();
  }

  /** The spec recorded for {@code deploymentId}, if it is in the history. */
  public Optional<DeploySpec> find(ServiceRef service, String deploymentId) {
    for (Secret record : cluster.records(service)) {
      if (deploymentId.equals(Cluster.annotation(record, Names.DEPLOYMENT_ID, ""))) {
        return Optional.of(decode(record));
      }
    }
    return Optional.empty();
  }

  private DeploySpec decode(Secret record) {
    String data = record.getData() == null ? null : record.getData().get(Names.RECORD_KEY);
    if (data == null) {
      throw corrupt(record, "it has no " + Names.RECORD_KEY);
    }
    try {
      String json = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
      if (codec.decode(json).payload() instanceof DeployCommand command) {
        return command.spec();
      }
      throw corrupt(record, "it holds no deploy command");
    } catch (ProtocolException | IllegalArgumentException e) {
      throw corrupt(record, "it does not decode (" + e.getMessage() + ")");
    }
  }

  /** Deletes the record (and pull Secret) of a deployment that did not go live. */
  public void delete(DeploySpec spec) {
    String ns = Names.namespace(spec.service());
    cluster.delete(secret(ns, Names.record(spec.service(), spec.deploymentId())), spec.service());
    if (spec.registryAuth() != null) {
      cluster.delete(
          secret(ns, Names.pullSecret(spec.service(), spec.deploymentId())), spec.service());
    }
  }

  /** Deletes records beyond the newest {@value #KEEP} that no Deployment uses any more. */
  public void prune(ServiceRef service) {
    Set<String> inUse = new HashSet<>();
    for (Deployment d : cluster.deployments(service)) {
      inUse.add(Cluster.annotation(d, Names.DEPLOYMENT_ID, ""));
    }
    List<Secret> records = cluster.records(service);
    String ns = Names.namespace(service);
    for (int i = KEEP; i < records.size(); i++) {
      String id = Cluster.annotation(records.get(i), Names.DEPLOYMENT_ID, "");
      if (!inUse.contains(id)) {
        cluster.delete(records.get(i), service);
        cluster.delete(secret(ns, Names.pullSecret(service, id)), service);
      }
    }
  }

  static Secret secret(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }

  private static RuntimeAdapterException corrupt(Secret record, String why) {
    return new RuntimeAdapterException(
        RuntimeErrorCode.INTERNAL,
        "deploy record " + Cluster.describe(record) + " is unusable: " + why);
  }
}
