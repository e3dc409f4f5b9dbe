package org.hotline.dispatch.model;

/** 主办 (lead) or 协办 (assisting) in a joint dispatch. */
public enum AssignmentRole {
    LEAD, ASSIST
}
