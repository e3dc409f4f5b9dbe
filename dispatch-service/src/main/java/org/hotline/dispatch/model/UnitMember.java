package org.hotline.dispatch.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A member of a unit: who acts on the phone (the token's member claim) and who notifications reach. */
@Entity
@Table(name = "unit_member")
public class UnitMember extends PanacheEntityBase {

    /** Unique across units: a member belongs to one unit. */
    @Id
    @Column(name = "member_id")
    public String memberId;

    @Column(name = "unit_id", nullable = false)
    public String unitId;

    @Column(nullable = false)
    public String name;

    /** Staff contact number (not citizens' personal data). */
    @Column(nullable = false)
    public String phone;

    /** e.g. 队长, 网格员 */
    public String role;
}
