package org.hotline.notification.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.messaging.NotifiedEvent;
import org.hotline.notification.messaging.UnitUpdated;
import org.hotline.notification.model.Channel;
import org.hotline.notification.service.Rules.Target;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who a rule's target names for an event: the on-duty members dispatch named (from the
 * projections), units and command rooms as console addressees, people from the directory; and
 * where each is reached on a channel.
 */
@ApplicationScoped
public class RecipientResolver {

    private final NotificationConfig config;
    private final ProjectionService projections;
    private final DisplayNames names;

    public RecipientResolver(NotificationConfig config, ProjectionService projections, DisplayNames names) {
        this.config = config;
        this.projections = projections;
        this.names = names;
    }

    List<Recipient> recipients(Target target, Occurrence occ, String street) {
        NotifiedEvent e = occ.event();
        List<Recipient> out = new ArrayList<>();
        switch (target.who()) {
            case UNIT_ON_DUTY -> members(unitOf(occ), occ, out);
            case ASSIGNED_UNITS_ON_DUTY -> {
                List<String> units = new ArrayList<>(projections.assignedUnits(occ.ticketId()));
                if (e.unitId() != null && !units.contains(e.unitId())) {
                    units.add(e.unitId());
                }
                units.forEach(u -> members(u, occ, out));
            }
            case UNIT -> {
                String unit = unitOf(occ);
                if (unit != null) {
                    out.add(new Recipient("unit:" + unit, names.unitName(unit, occ), "UNIT", null, null,
                            config.defaultLocale(), unit, null));
                }
            }
            case COMMAND_ROOM -> {
                if (street != null) {
                    out.add(new Recipient("room:" + street, names.streetName(street) + "指挥室", "COMMAND_ROOM", null, null,
                            config.defaultLocale(), null, null));
                }
            }
            case ESCALATION_RECIPIENT -> people(e.recipient(), street, out);
            case ROLE -> people(target.role(), street, out);
        }
        return out;
    }

    /** The event's unit, else the ticket's current lead unit. */
    String unitOf(Occurrence occ) {
        return occ.event().unitId() != null ? occ.event().unitId() : projections.leadUnit(occ.ticketId());
    }

    /** The members dispatch named on the unit's order (its duty roster decides; see ProjectionService.membersToTell). */
    private void members(String unitId, Occurrence occ, List<Recipient> out) {
        if (unitId == null) {
            return;
        }
        for (UnitUpdated.Member m : projections.membersToTell(unitId, occ.ticketId())) {
            out.add(new Recipient("member:" + unitId + "/" + m.memberId(), m.name() == null ? m.memberId() : m.name(),
                    m.role() == null ? "FIELD" : m.role(), m.phone(), null, config.defaultLocale(), unitId, m.memberId()));
        }
    }

    /** Directory people of a role: those of the event's street, and those without a street (county level). */
    private void people(String role, String street, List<Recipient> out) {
        if (role == null) {
            return;
        }
        config.directory().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            NotificationConfig.Person p = e.getValue();
            if (role.equals(p.role()) && (p.street().isEmpty() || p.street().get().equals(street))) {
                out.add(new Recipient("person:" + e.getKey(), p.name(), p.role(), p.phone().orElse(null),
                        p.webhook().orElse(null), p.locale().orElse(config.defaultLocale()), null, null));
            }
        });
    }

    /** Where the recipient is reached on the channel; null: not on this one (channel not configured, no phone or URL). */
    String address(Channel channel, Recipient r, String street) {
        return switch (channel) {
            case SMS -> config.sms().url().isPresent() && r.phone() != null && !r.phone().isBlank() ? r.phone() : null;
            case WEBHOOK -> r.webhook() != null ? r.webhook() : config.webhook().url().orElse(null);
            case CONSOLE -> street == null ? "" : street;
        };
    }
}
