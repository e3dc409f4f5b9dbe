package org.hotline.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.hotline.intake.config.IntakeConfig;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * A setting that cannot work refuses the start, naming itself. Found on a benchmark run: with
 * {@code intake.group-commit.lanes=0} the service started, reported ready and answered every
 * report with a 500 (the lanes are made on the first report).
 */
class ConfigCheckTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static SmallRyeConfig config(Map<String, String> values) {
        // the mapping as Quarkus builds it at start, with the same Bean Validation check
        return new SmallRyeConfigBuilder().withMapping(IntakeConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR).build();
    }

    @Test
    void noGroupCommitLaneRefusesTheStartNamingTheSetting() {
        refused("intake.group-commit.lanes", "0");
        refused("intake.group-commit.max-reports", "0");
        refused("intake.rate-limit.capacity", "-1");
    }

    @Test
    void theDefaultsPass() {
        IntakeConfig c = config(Map.of()).getConfigMapping(IntakeConfig.class);
        assertEquals(2, c.groupCommit().lanes());
        assertEquals(32, c.groupCommit().maxReports());
    }

    /** Refused, and the message names the setting (e.g. "intake.groupCommit.max-reports must be greater than 0"). */
    private static void refused(String name, String value) {
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> config(Map.of(name, value)));
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        assertTrue(e.getMessage().contains(leaf + " must be greater than 0"), e.getMessage());
    }
}
