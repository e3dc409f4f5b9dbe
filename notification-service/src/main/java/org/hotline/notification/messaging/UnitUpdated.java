package org.hotline.notification.messaging;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What notification reads of {@code unit.updated} (unit-events, key = unitId): the unit's full state. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnitUpdated(String unitId, String name, String type, String street, String status,
        List<Member> members, List<Shift> shifts) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Member(String memberId, String name, String phone, String role) {
    }

    /** The roster as dispatch publishes it: kept in the projection, never read here (dispatch decides who is on duty). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shift(String memberId, List<String> days, String start, String end) {
    }
}
