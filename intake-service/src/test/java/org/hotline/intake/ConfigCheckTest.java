package org.hotline.intake;

import static org.hotline.backbone.testing.ConfigCheck.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.hotline.backbone.testing.ConfigCheck;
import org.hotline.intake.config.IntakeConfig;
import org.junit.jupiter.api.Test;

/**
 * A setting that cannot work refuses the start, naming itself. Found on a benchmark run: with
 * {@code intake.group-commit.lanes=0} the service started, reported ready and answered every
 * report with a 500 (the lanes are made on the first report).
 */
class ConfigCheckTest {

    @Test
    void aZeroCountRefusesTheStartNamingTheSetting() {
        refused(IntakeConfig.class, "intake.group-commit.lanes", "0");
        refused(IntakeConfig.class, "intake.group-commit.max-reports", "0");
        refused(IntakeConfig.class, "intake.rate-limit.capacity", "-1");
        refused(IntakeConfig.class, "intake.rate-limit.refill-per-minute", "0");
        refused(IntakeConfig.class, "intake.rate-limit.max-clients", "0");
    }

    @Test
    void theDefaultsPass() {
        IntakeConfig c = ConfigCheck.mapping(IntakeConfig.class, Map.of());
        assertEquals(2, c.groupCommit().lanes());
        assertEquals(32, c.groupCommit().maxReports());
    }
}
