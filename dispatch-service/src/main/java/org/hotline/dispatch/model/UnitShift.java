package org.hotline.dispatch.model;

import java.util.List;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A duty roster line (值班): a member is on duty on these days from start to end, local time in
 * {@code hotline.time-zone}; end <= start runs past midnight. The rule that reads it: DutyRoster.
 */
@Entity
@Table(name = "unit_shift")
public class UnitShift extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "unit_id", nullable = false)
    public String unitId;

    @Column(name = "member_id", nullable = false)
    public String memberId;

    /** MON..SUN */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public List<String> days;

    /** HH:mm */
    @Column(name = "start_time", nullable = false)
    public String start;

    @Column(name = "end_time", nullable = false)
    public String end;
}
