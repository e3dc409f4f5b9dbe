package org.hotline.sla.model;

/** A policy selection rule: the first by ordinal whose non-null fields all match the ticket wins. */
public record PolicyRule(int ordinal, String source, String category, String complexity, String street,
        String policyCode) {
}
