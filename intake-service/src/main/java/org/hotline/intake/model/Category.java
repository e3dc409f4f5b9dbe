package org.hotline.intake.model;

import java.util.List;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of the 派单目录 (category catalogue). */
@Entity
@Table(name = "category")
public class Category extends PanacheEntityBase {

    @Id
    public String code;

    @Column(name = "name_zh", nullable = false)
    public String nameZh;

    @Column(name = "name_en", nullable = false)
    public String nameEn;

    @Enumerated(EnumType.STRING)
    @Column(name = "default_complexity", nullable = false)
    public Complexity defaultComplexity;

    /** POLICE_STATION | LAW_ENFORCEMENT | MEDIATION | CITY_MANAGEMENT | GRID_WORKER | OTHER */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "unit_types", nullable = false)
    public List<String> unitTypes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public List<String> aliases;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "sort_order", nullable = false)
    public int sortOrder;
}
