package org.hotline.backbone.inbox;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Backbone alone as an application, for tests of its beans against the real database that
 * InfraResource gives ({@code db.*}): backbone's own tables in a schema of their own, and no relay
 * (nothing here is meant to be published). Set here, not in a test application.properties, which
 * the test-jar would carry into every service's tests.
 */
public class BackboneAppProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.application.name", "backbone-test"),
                Map.entry("quarkus.devservices.enabled", "false"),
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.datasource.db-kind", "postgresql"),
                Map.entry("quarkus.datasource.username", "${db.user}"),
                Map.entry("quarkus.datasource.password", "${db.password}"),
                Map.entry("quarkus.datasource.jdbc.url",
                        "jdbc:postgresql://${db.host}:${db.port}/${db.name}?currentSchema=backbone_test"),
                Map.entry("quarkus.hibernate-orm.schema-management.strategy", "none"),
                Map.entry("quarkus.flyway.migrate-at-start", "true"),
                Map.entry("quarkus.flyway.schemas", "backbone_test"),
                Map.entry("quarkus.flyway.create-schemas", "true"),
                Map.entry("quarkus.flyway.locations", "db/backbone"),
                Map.entry("hotline.outbox.relay-enabled", "false"),
                Map.entry("hotline.clock.source", "system"));
    }
}
