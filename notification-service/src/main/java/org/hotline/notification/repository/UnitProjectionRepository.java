package org.hotline.notification.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.hibernate.Session;
import org.hotline.notification.model.UnitProjection;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The units as unit.updated last described them, by unit id; plain JDBC in the consumer's
 * transaction (ProjectionService reads a batch's units in one statement).
 */
@ApplicationScoped
public class UnitProjectionRepository implements PanacheRepositoryBase<UnitProjection, String> {

    /** These units as stored (name, street, members; the rest is not read), in one statement. */
    public List<UnitProjection> ofIds(Collection<String> unitIds) {
        return getEntityManager().unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select unit_id, name, street, members from unit_projection where unit_id = any(cast(? as text[]))")) {
                ps.setArray(1, TextArrays.of(c, unitIds, id -> id));
                List<UnitProjection> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UnitProjection p = new UnitProjection();
                        p.unitId = rs.getString(1);
                        p.name = rs.getString(2);
                        p.street = rs.getString(3);
                        p.members = rs.getString(4);
                        out.add(p);
                    }
                }
                return out;
            }
        });
    }

    /**
     * Stores the unit's state unless the stored one comes from a later event (unit.updated carries
     * the full state, and may arrive out of order): one statement, no read first.
     */
    public void upsert(UnitProjection p) {
        getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into unit_projection (unit_id, name, type, street,"
                    + " status, members, shifts, event_time, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (unit_id) do update set name = excluded.name, type = excluded.type,"
                    + " street = excluded.street, status = excluded.status, members = excluded.members,"
                    + " shifts = excluded.shifts, event_time = excluded.event_time, updated_at = excluded.updated_at"
                    + " where unit_projection.event_time <= excluded.event_time")) {
                ps.setString(1, p.unitId);
                ps.setString(2, p.name);
                ps.setString(3, p.type);
                ps.setString(4, p.street);
                ps.setString(5, p.status);
                ps.setString(6, p.members);
                ps.setString(7, p.shifts);
                ps.setObject(8, OffsetDateTime.ofInstant(p.eventTime, ZoneOffset.UTC));
                ps.setObject(9, OffsetDateTime.ofInstant(p.updatedAt, ZoneOffset.UTC));
                ps.executeUpdate();
            }
        });
    }
}
