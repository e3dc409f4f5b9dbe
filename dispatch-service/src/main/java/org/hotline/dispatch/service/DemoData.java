package org.hotline.dispatch.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.hotline.dispatch.config.DispatchConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Loads the demo street's units (demo/units.sql) when enabled; safe to run on every start. */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    private final DispatchConfig config;
    private final EntityManager em;

    public DemoData(DispatchConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    @Transactional
    void load(@Observes StartupEvent ev) throws IOException {
        if (!config.demoData().enabled()) {
            return;
        }
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/units.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int n = em.createNativeQuery(sql).executeUpdate();
            LOG.infof("demo data: %d units added", n);
        }
    }
}
