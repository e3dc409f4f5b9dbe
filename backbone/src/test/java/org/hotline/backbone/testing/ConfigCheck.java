package org.hotline.backbone.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * A service's settings mapping built as Quarkus builds it at start, with the same Bean Validation
 * check: a setting that cannot work must refuse the start, naming itself, rather than fail every
 * request later.
 */
public final class ConfigCheck {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private ConfigCheck() {
    }

    public static <T> T mapping(Class<T> type, Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(type)
                .withDefaultValue("quarkus.application.name", "config-check") // hotline.service-name's default
                .withConverter(Duration.class, 200, new DurationConverter()) // "30s" as Quarkus reads it
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR).build();
        return config.getConfigMapping(type);
    }

    /**
     * The value refuses the start, and the message names the setting (its last part, e.g.
     * "intake.groupCommit.max-reports must be greater than 0").
     */
    public static void refused(Class<?> type, String name, String value) {
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> mapping(type, Map.of(name, value)),
                name + "=" + value + " was accepted");
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        assertTrue(e.getMessage().contains(leaf + " must be greater than 0"), e.getMessage());
    }
}
