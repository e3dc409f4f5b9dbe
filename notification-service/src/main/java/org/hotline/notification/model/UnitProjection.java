package org.hotline.notification.model;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last known state of a unit (unit.updated carries the full state): members and shifts as JSON. */
@Entity
@Table(name = "unit_projection")
public class UnitProjection extends PanacheEntityBase {

    @Id
    @Column(name = "unit_id")
    public String unitId;

    @Column(nullable = false)
    public String name;

    public String type;

    public String street;

    public String status;

    @Column(nullable = false, columnDefinition = "text")
    public String members;

    @Column(nullable = false, columnDefinition = "text")
    public String shifts;

    /** Time of the event this state came from: an older event never overwrites a newer state. */
    @Column(name = "event_time", nullable = false)
    public Instant eventTime;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
