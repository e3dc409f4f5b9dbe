package org.hotline.dispatch.model;

/** The local forces a street command room can dispatch. */
public enum UnitType {
    /** 派出所 */
    POLICE_STATION,
    /** 综合执法中队 */
    LAW_ENFORCEMENT,
    /** 调解队 (e.g. the "德清嫂" volunteer mediators) */
    MEDIATION,
    /** 城市管理办公室 */
    CITY_MANAGEMENT,
    /** 网格员 */
    GRID_WORKER,
    OTHER
}
