package org.hotline.backbone.metrics;

import java.util.List;

import org.hotline.backbone.config.BackboneConfig;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Every metric carries {@code service="<name>"} so one Prometheus can scrape all four services. */
public class ServiceTagFilter {
    @Produces
    @Singleton
    MeterFilter serviceTag(BackboneConfig config) {
        return MeterFilter.commonTags(List.of(Tag.of("service", config.serviceName())));
    }
}
