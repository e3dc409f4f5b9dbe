package org.hotline.intake.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A grid (网格) of a street: the smallest area a grid worker covers. */
@Entity
@Table(name = "grid")
public class Grid extends PanacheEntityBase {

    @Id
    public String code;

    /** the street's code */
    @Column(nullable = false)
    public String street;

    @Column(name = "name_zh", nullable = false)
    public String nameZh;

    @Column(nullable = false)
    public boolean active;
}
