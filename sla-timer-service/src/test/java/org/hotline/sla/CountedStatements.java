package org.hotline.sla;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service on {@link CountingDriver}, which counts every statement by thread (a profile of its own: the driver is fixed at build). */
public class CountedStatements implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.jdbc.driver", CountingDriver.class.getName());
    }
}
