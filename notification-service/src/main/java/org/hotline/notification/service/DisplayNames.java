package org.hotline.notification.service;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.notification.config.NotificationConfig;

import jakarta.enterprise.context.ApplicationScoped;

/** How messages name things: streets, units, the codes of stages, roles and actions, local times. */
@ApplicationScoped
public class DisplayNames {

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    private static final Map<String, String[]> LABELS = Map.ofEntries(
            Map.entry("RESPOND", new String[] {"响应", "respond"}),
            Map.entry("DISPATCH_CONTACT", new String[] {"派单联系", "dispatch and contact"}),
            Map.entry("ON_SCENE", new String[] {"到场", "on scene"}),
            Map.entry("RESOLVE", new String[] {"办结", "resolve"}),
            Map.entry("LEAD", new String[] {"主办", "lead"}),
            Map.entry("ASSIST", new String[] {"协办", "assisting"}),
            Map.entry("REDISPATCH", new String[] {"转派", "re-dispatch"}),
            Map.entry("ADD_BACKUP", new String[] {"增派支援", "add a backup unit"}),
            Map.entry("DONE", new String[] {"已完成", "done"}),
            Map.entry("NO_UNIT_AVAILABLE", new String[] {"无可用单位", "no unit available"}),
            Map.entry("PHONE", new String[] {"同一来电号码", "same caller phone"}),
            Map.entry("PROXIMITY", new String[] {"同地点同类别", "same place and category"}));

    private final NotificationConfig config;
    private final ProjectionService projections;
    private final ZoneId zone;

    public DisplayNames(NotificationConfig config, ProjectionService projections, BackboneConfig backbone) {
        this.config = config;
        this.projections = projections;
        this.zone = backbone.timeZone(); // hotline.time-zone: the one zone of every local time
    }

    /** The event's own unit name when it names that unit, else the projection's, else the id. */
    String unitName(String unitId, Occurrence occ) {
        if (unitId.equals(occ.event().unitId()) && occ.event().unitName() != null) {
            return occ.event().unitName();
        }
        ProjectionService.Unit unit = projections.unit(unitId);
        return unit == null ? unitId : unit.name();
    }

    String streetName(String street) {
        return street == null ? "" : config.labels().streets().getOrDefault(street, street);
    }

    String categoryName(String category) {
        return config.labels().categories().getOrDefault(category, category);
    }

    /** An instant as local time (MM-dd HH:mm); "" for none, the text itself when it is not an instant. */
    String local(String instant) {
        if (instant == null) {
            return "";
        }
        try {
            return LOCAL_TIME.format(Instant.parse(instant).atZone(zone));
        } catch (RuntimeException e) {
            return instant;
        }
    }

    static String label(boolean zh, String code) {
        if (code == null) {
            return "";
        }
        String[] l = LABELS.get(code);
        return l == null ? code : l[zh ? 0 : 1];
    }
}
