package org.hotline.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * Issue #15 item 4: every manifest of deploy/k8s, as written and as kustomize renders each overlay,
 * is schema-validated: Kubernetes kinds parse into fabric8's typed model, Strimzi's into Strimzi's own
 * API classes, and neither may carry a field the model does not know (a misspelt field is an error,
 * not silently dropped by the cluster); CloudNativePG's Cluster against a vendored JSON Schema. Then
 * what an operator relies on: at least two replicas with probes on the health groups, resources,
 * disruption budgets, secrets for keys, topics with 3 replicas and min.insync.replicas 2, scraping.
 */
class KubernetesManifestsTest {

    static final Path K8S = Promtool.root().resolve("deploy/k8s");
    static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    static final Map<String, Class<?>> TYPES = Map.of(
            "v1/Namespace", Namespace.class, "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class,
            "v1/Service", Service.class, "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class, "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class);
    static final Map<String, String> SCHEMAS = Map.of("postgresql.cnpg.io/v1/Cluster", "schemas/cnpg-cluster-v1.json");

    @Test
    void everyManifestFileIsValid() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(K8S)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
        assertTrue(files.size() >= 10, files.toString());
        List<String> errors = new ArrayList<>();
        for (Path f : files) {
            // an overlay's patch is a partial object: its fields must still exist, its required ones may not
            for (JsonNode doc : documents(Files.readString(f))) {
                errors.addAll(validate(K8S.relativize(f).toString(), doc, f.startsWith(K8S.resolve("overlays"))));
            }
        }
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }

    @Test
    void eachOverlayRendersIntoValidManifests() throws Exception {
        for (String overlay : List.of("production", "single-broker")) {
            List<JsonNode> docs = render(overlay);
            List<String> errors = new ArrayList<>();
            for (JsonNode doc : docs) {
                errors.addAll(validate(overlay, doc, false));
                assertEquals("hotline", doc.at("/metadata/namespace").asText("hotline"), "namespace of " + name(doc));
            }
            assertTrue(errors.isEmpty(), String.join("\n", errors));
        }
    }

    @Test
    void productionRunsEachServiceAsAnOperatorExpects() throws Exception {
        List<JsonNode> docs = render("production");
        Map<String, Deployment> deployments = typed(docs, Deployment.class);
        assertEquals(Set.of("intake-service", "dispatch-service", "sla-timer-service", "notification-service"),
                deployments.keySet());
        Map<String, PodDisruptionBudget> pdbs = typed(docs, PodDisruptionBudget.class);
        Map<String, Service> services = typed(docs, Service.class);
        Set<String> configMaps = typed(docs, ConfigMap.class).keySet();
        Set<String> secrets = typed(docs, Secret.class).keySet();
        for (Deployment d : deployments.values()) {
            String name = d.getMetadata().getName();
            assertTrue(d.getSpec().getReplicas() >= 2, name + " replicas");
            assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
                    name + ": a rolling upgrade never drops below the replicas");
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
            assertNotNull(c.getStartupProbe(), name);
            assertNotNull(c.getResources().getRequests().get("memory"), name);
            assertNotNull(c.getResources().getRequests().get("cpu"), name);
            assertNotNull(c.getResources().getLimits().get("memory"), name);
            // the limit leaves room above the measured RSS (274-357 MB at -Xmx128m)
            assertTrue(c.getResources().getLimits().get("memory").getNumericalAmount().longValue() >= 450L * 1024 * 1024,
                    name + " memory limit");
            for (EnvFromSource from : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    assertTrue(configMaps.contains(from.getConfigMapRef().getName()), name + " " + from);
                } else {
                    assertTrue(secrets.contains(from.getSecretRef().getName()), name + " " + from);
                }
            }
            PodDisruptionBudget pdb = pdbs.get(name);
            assertNotNull(pdb, name + " has a PodDisruptionBudget");
            assertEquals(d.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
            assertTrue(pdb.getSpec().getMinAvailable().getIntVal() >= 1);
            assertNotNull(services.get(name), name + " Service");
            assertEquals("http", services.get(name).getSpec().getPorts().get(0).getName());
        }
        // the one-tap link secret on both sides: notification signs, dispatch verifies
        for (String svc : List.of("dispatch-service", "notification-service")) {
            assertTrue(deployments.get(svc).getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                    .anyMatch(e -> e.getSecretRef() != null && e.getSecretRef().getName().equals("hotline-ack-token")), svc);
        }
        ServiceMonitor monitor = typed(docs, ServiceMonitor.class).values().iterator().next();
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
        assertEquals("http", monitor.getSpec().getEndpoints().get(0).getPort());
        deployments.values().forEach(d -> assertTrue(d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()), "scraped: " + d.getMetadata().getName()));
    }

    @Test
    void productionKafkaSurvivesTheLossOfABroker() throws Exception {
        List<JsonNode> docs = render("production");
        ConfigMap config = typed(docs, ConfigMap.class).get("hotline-config");
        assertEquals("3", config.getData().get("HOTLINE_KAFKA_REPLICATION_FACTOR"));
        assertEquals("2", config.getData().get("HOTLINE_KAFKA_MIN_INSYNC_REPLICAS"));
        KafkaNodePool pool = typed(docs, KafkaNodePool.class).values().iterator().next();
        assertTrue(pool.getSpec().getReplicas() >= 3, "brokers");
        Kafka kafka = typed(docs, Kafka.class).values().iterator().next();
        assertEquals(2, ((Number) kafka.getSpec().getKafka().getConfig().get("min.insync.replicas")).intValue());
        assertEquals(false, kafka.getSpec().getKafka().getConfig().get("auto.create.topics.enable"));
        Map<String, KafkaTopic> topics = typed(docs, KafkaTopic.class);
        Set<String> names = topics.values().stream().map(t -> t.getSpec().getTopicName()).collect(Collectors.toSet());
        // every topic a service names in its hotline.kafka.topics
        for (String service : List.of("intake-service", "dispatch-service", "sla-timer-service", "notification-service")) {
            String props = Files.readString(Promtool.root().resolve(service + "/src/main/resources/application.properties"));
            String line = props.lines().filter(l -> l.startsWith("hotline.kafka.topics=")).findFirst().orElseThrow();
            for (String t : line.substring(line.indexOf('=') + 1).split(",")) {
                String topic = t.replaceAll("\\$\\{[^:]+:([^}]+)}", "$1");
                assertTrue(names.contains(topic), service + " uses " + topic + ", not declared as a KafkaTopic");
            }
        }
        for (KafkaTopic t : topics.values()) {
            assertEquals(3, t.getSpec().getReplicas(), t.getSpec().getTopicName());
            assertEquals(2, ((Number) t.getSpec().getConfig().get("min.insync.replicas")).intValue(), t.getSpec().getTopicName());
            assertTrue(t.getSpec().getPartitions() >= 3, t.getSpec().getTopicName());
        }
    }

    @Test
    void theSingleBrokerOverlaySaysOneReplicaEverywhere() throws Exception {
        List<JsonNode> docs = render("single-broker");
        assertEquals("1", typed(docs, ConfigMap.class).get("hotline-config").getData().get("HOTLINE_KAFKA_REPLICATION_FACTOR"));
        assertEquals(1, typed(docs, KafkaNodePool.class).values().iterator().next().getSpec().getReplicas());
        typed(docs, KafkaTopic.class).values().forEach(t -> assertEquals(1, t.getSpec().getReplicas()));
    }

    // ---------------------------------------------------------------- validation

    static List<String> validate(String where, JsonNode doc, boolean partial) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String at = where + " " + key + " " + doc.at("/metadata/name").asText();
        List<String> errors = new ArrayList<>();
        if (SCHEMAS.containsKey(key)) {
            if (!partial) {
                schema(SCHEMAS.get(key)).validate(doc).forEach(m -> errors.add(at + ": " + m.getMessage()));
            }
            return errors;
        }
        Class<?> type = TYPES.get(key);
        if (type == null) {
            return List.of(at + ": no schema for this kind");
        }
        try {
            Object typed = YAML.treeToValue(doc, type);
            unknownFields(typed, "", errors, new IdentityHashMap<>());
        } catch (Exception e) {
            errors.add(at + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        return errors.stream().map(e -> e.startsWith(where) ? e : at + ": field " + e + " is not in the schema").toList();
    }

    /** Walks a typed model and reports every field that landed in a catch-all additionalProperties map. */
    static void unknownFields(Object o, String path, List<String> errors, Map<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", errors, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), errors, seen);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (Exception e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> errors.add(path + "." + k));
                }
            } else {
                String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                unknownFields(v, path + "." + field, errors, seen);
            }
        }
    }

    static JsonSchema schema(String resource) {
        try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (Exception e) {
            throw new IllegalStateException(resource, e);
        }
    }

    // ---------------------------------------------------------------- reading and rendering

    static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** kustomize's rendering of an overlay (kubectl's built-in kustomize: Debian's kubectl, .ci/run installs it). */
    static List<JsonNode> render(String overlay) throws Exception {
        assertTrue(Files.isExecutable(KUBECTL), KUBECTL + " is missing: apt-get install kubectl (.ci/run does)");
        Process p = new ProcessBuilder(KUBECTL.toString(), "kustomize", K8S.resolve("overlays/" + overlay).toString())
                .redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kubectl kustomize " + overlay + " failed: " + err);
        }
        List<JsonNode> docs = documents(out);
        assertFalse(docs.isEmpty(), overlay);
        return docs;
    }

    static <T> Map<String, T> typed(List<JsonNode> docs, Class<T> type) throws Exception {
        String kind = type.getSimpleName();
        Map<String, T> out = new java.util.TreeMap<>();
        for (JsonNode d : docs) {
            if (d.path("kind").asText().equals(kind)) {
                out.put(d.at("/metadata/name").asText(), YAML.treeToValue(d, type));
            }
        }
        return out;
    }

    static String name(JsonNode doc) {
        return doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText();
    }
}
