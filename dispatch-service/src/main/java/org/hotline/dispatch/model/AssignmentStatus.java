package org.hotline.dispatch.model;

public enum AssignmentStatus {
    OFFERED, ACKNOWLEDGED, ON_SCENE, DONE, RETURNED, LAPSED, WITHDRAWN
}
