package org.hotline.dispatch.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.repository.UnitRepository;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * Loads the demo street's units, members and duty rosters (demo/units.sql) when enabled; safe to
 * run on every start. Publishes unit.updated for every demo unit each time, so a projection built
 * from unit-events (notification-service) knows them even if it started after the first load.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    private final DispatchConfig config;
    private final UnitService units;
    private final UnitRepository unitRows;

    public DemoData(DispatchConfig config, UnitService units, UnitRepository unitRows) {
        this.unitRows = unitRows;
        this.config = config;
        this.units = units;
    }

    @Transactional
    void load(@Observes @Priority(10) StartupEvent ev) throws IOException {
        if (!config.demoData().enabled()) {
            return;
        }
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/units.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            unitRows.load(sql);
        }
        int n = 0;
        for (Unit u : unitRows.demoUnits()) {
            units.published(u);
            n++;
        }
        LOG.infof("demo data: %d units of street wukang loaded and published", n);
    }
}
