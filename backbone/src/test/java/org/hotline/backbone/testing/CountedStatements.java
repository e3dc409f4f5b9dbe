package org.hotline.backbone.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service on {@link CountingDriver}, which counts every statement it sends, by thread. A profile
 * of its own because the datasource's driver is fixed at build: the tests that count statements
 * share one application start, the others keep PostgreSQL's driver as it is.
 */
public class CountedStatements implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.jdbc.driver", CountingDriver.class.getName());
    }
}
