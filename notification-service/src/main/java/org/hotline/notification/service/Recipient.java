package org.hotline.notification.service;

/**
 * Someone (or some screen) to tell. {@code id} is stable (member:unit/member, person:key,
 * unit:unitId, room:street) and part of the row's uniqueness; {@code memberId} is set for field
 * team members only (they get the one-tap acknowledgement link).
 */
public record Recipient(String id, String name, String role, String phone, String webhook, String locale,
        String unitId, String memberId) {
}
