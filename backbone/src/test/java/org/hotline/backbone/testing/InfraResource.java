package org.hotline.backbone.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a @QuarkusTest its real broker and a fresh real database (the service's Flyway migrates
 * its own schema into it at start). Services annotate tests with
 * {@code @WithTestResource(InfraResource.class)}.
 */
public class InfraResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public Map<String, String> start() {
        String bootstrap = TestInfra.kafkaBootstrap();
        database = TestInfra.createDatabase("hl_test");
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "db.host", TestInfra.pgHost(),
                "db.port", String.valueOf(TestInfra.pgPort()),
                "db.name", database,
                "db.user", TestInfra.pgUser(),
                "db.password", TestInfra.pgPassword(),
                // one broker: production's replication factor 3 cannot be reached (TopicBootstrap)
                "hotline.kafka.replication-factor", "1",
                "hotline.kafka.min-insync-replicas", "1");
    }

    @Override
    public void stop() {
        if (database != null) {
            TestInfra.dropDatabase(database);
        }
    }
}
