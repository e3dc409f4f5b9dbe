package org.hotline.dispatch.service;

import java.util.List;

/** A candidate unit with why it ranks where it does. */
public record Recommendation(String unitId, String unitName, String unitType, int rank, boolean inGrid,
        int openAssignments, int capacity, Double distanceMeters, List<String> reasons) {
}
