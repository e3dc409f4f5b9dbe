package org.hotline.backbone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import io.quarkus.runtime.ApplicationConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Issue #7 item 6: Kafka security is configuration only. A real broker (KRaft, in this JVM) whose
 * client listener demands SASL/SCRAM-SHA-512 accepts a service whose {@code KAFKA_*} environment
 * variables carry the credentials, and refuses clients without them or with a wrong password.
 *
 * <p>The service's Kafka settings are built exactly as at runtime: Quarkus'
 * {@link KafkaRuntimeConfigProducer} turns the service's config (application.properties plus
 * environment variables) into the {@code default-kafka-broker} map that the outbox relay, topic
 * bootstrap, the SLA catch-up and every messaging channel are created from. The broker is
 * started with its own PLAINTEXT listener for inter-broker traffic and for the operator step that
 * creates the SCRAM user (like {@code kafka-configs --alter --add-config SCRAM-SHA-512=...}); the
 * service only ever sees the SASL listener. No JVM-wide JAAS file or system property is set, so the
 * other tests in this JVM are untouched.
 */
class KafkaSecurityTest {

    private static final String CLIENT_LISTENER = "CLIENT";
    private static final String USER = "intake-service";
    private static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());

    private static KafkaClusterTestKit kafka;
    /** SASL/SCRAM listener: what every service connects to. */
    private static String secureBootstrap;
    /** Operator's PLAINTEXT listener, used only to create the SCRAM user and to check the outcome. */
    private static String operatorBootstrap;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build();
        String internal = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        // port 0 everywhere: the test kit binds free ports, the broker advertises the bound one
        KafkaClusterTestKit k = TestInfra.startBroker(nodes, Map.of(
                "listeners", internal + "://localhost:0," + controller + "://localhost:0," + CLIENT_LISTENER + "://localhost:0",
                "listener.security.protocol.map", internal + ":" + nodes.brokerListenerProtocol().name + ","
                        + controller + ":" + nodes.controllerListenerProtocol().name + "," + CLIENT_LISTENER + ":SASL_PLAINTEXT",
                "listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512",
                // the broker side of SCRAM: credentials come from the cluster metadata, not from JAAS
                "listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        kafka = k;
        operatorBootstrap = k.bootstrapServers();
        int port = k.brokers().values().iterator().next().boundPort(ListenerName.normalised(CLIENT_LISTENER));
        secureBootstrap = "localhost:" + port;

        try (Admin operator = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, operatorBootstrap))) {
            operator.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // the credential reaches the broker through the metadata log: wait until it authenticates
        Map<String, Object> service = serviceKafkaConfig(secureEnv(USER, PASSWORD));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    try (Admin a = Admin.create(withTimeouts(service))) {
                        a.listTopics().names().get(5, TimeUnit.SECONDS);
                        return true;
                    }
                });
    }

    @AfterAll
    static void stopBroker() {
        KafkaClusterTestKit k = kafka;
        if (k == null) {
            return;
        }
        TestInfra.close(k, Duration.ofSeconds(15));
    }

    @Test
    void serviceWithScramCredentialsInItsEnvironmentCreatesTopicsProducesAndConsumes() throws Exception {
        Map<String, Object> service = serviceKafkaConfig(secureEnv(USER, PASSWORD));
        // the env vars became plain Kafka client properties in the default-kafka-broker map
        assertEquals(secureBootstrap, service.get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", service.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", service.get("sasl.mechanism"));
        assertTrue(service.get("sasl.jaas.config").toString().contains("username=\"" + USER + "\""));
        assertEquals(USER, service.get("group.id"), "group.id defaults to the application name");

        String topic = "secured-ticket-events";
        // as TopicBootstrap does
        try (Admin admin = Admin.create(service)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // the broker answering the listing learns of the new topic from the metadata log a moment later
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)));
        }

        // as OutboxRelay does: the map plus idempotence and acks=all
        Map<String, Object> producerProps = new HashMap<>(service);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "ticket-1", "{\"type\":\"TicketCreated\"}"))
                    .get(30, TimeUnit.SECONDS);
        }

        // as a messaging channel does: the same map, the service's consumer group
        Map<String, Object> consumerProps = new HashMap<>(service);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertEquals(1, received.size());
        assertEquals("ticket-1", received.get(0).key());
        assertEquals("{\"type\":\"TicketCreated\"}", received.get(0).value());
    }

    @Test
    void wrongPasswordIsRefusedWithAnAuthenticationError() {
        Map<String, Object> wrong = withTimeouts(serviceKafkaConfig(secureEnv(USER, "not-the-password")));

        try (Admin admin = Admin.create(wrong)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("wrong-password-topic", 1, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(wrong, new StringSerializer(),
                new StringSerializer())) {
            Throwable refused = sendFailure(producer, new ProducerRecord<>("secured-ticket-events", "k", "v"));
            assertInstanceOf(SaslAuthenticationException.class, refused);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(wrong, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("secured-ticket-events"));
            assertThrows(SaslAuthenticationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        assertFalse(topicExists("wrong-password-topic"), "a refused client must not have created anything");
    }

    @Test
    void unknownUserIsRefusedWithAnAuthenticationError() {
        Map<String, Object> stranger = withTimeouts(serviceKafkaConfig(secureEnv("mallory", PASSWORD)));
        try (Admin admin = Admin.create(stranger)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void clientWithoutCredentialsGetsNothingFromTheSecuredListener() {
        // the local-run configuration (PLAINTEXT, no credentials) pointed at the secured listener:
        // the broker closes the connection at the first non-SASL request, so the client never gets
        // an answer (Kafka cannot send an authentication error to a client that does not speak SASL)
        Map<String, Object> anonymous = withTimeouts(serviceKafkaConfig(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                secureBootstrap)));
        assertFalse(anonymous.containsKey("security.protocol"), "the local run sets no security protocol");
        try (Admin admin = Admin.create(anonymous)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("anonymous-topic", 1, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
        assertFalse(topicExists("anonymous-topic"), "an unauthenticated client must not have created anything");
    }

    /** The environment an operator sets on a service to turn SCRAM on. */
    private static Map<String, String> secureEnv(String user, String password) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", secureBootstrap,
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"" + user + "\" password=\"" + password + "\";");
    }

    /**
     * The {@code default-kafka-broker} map a service gets: its application.properties Kafka line plus
     * the given environment variables, turned into client properties by Quarkus' own producer.
     */
    private static Map<String, Object> serviceKafkaConfig(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of("kafka.bootstrap.servers", "${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}"),
                        "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        ApplicationConfig app = new ApplicationConfig() {
            @Override
            public Optional<String> name() {
                return Optional.of(USER);
            }

            @Override
            public Optional<String> version() {
                return Optional.empty();
            }

            @Override
            public Optional<String> uiHeader() {
                return Optional.empty();
            }
        };
        return new KafkaRuntimeConfigProducer().createKafkaRuntimeConfig(config, app);
    }

    /** Short client timeouts so refusals show within seconds. */
    private static Map<String, Object> withTimeouts(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return p;
    }

    /** A refused producer fails either at send() or through the returned future, depending on timing. */
    private static Throwable sendFailure(KafkaProducer<String, String> producer, ProducerRecord<String, String> r) {
        try {
            producer.send(r).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        return fail("the producer was not refused");
    }

    private static boolean topicExists(String topic) {
        try (Admin operator = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, operatorBootstrap))) {
            return operator.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            throw new IllegalStateException("operator listener did not answer", e);
        }
    }
}
