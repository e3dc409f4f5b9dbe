package org.hotline.notification.service;

import java.util.HashMap;

/**
 * A template's data. Absent keys read as "" so that a template may name a field an event type
 * does not always carry (e.g. nextUnitId) without failing Qute's strict rendering.
 */
final class Model extends HashMap<String, Object> {

    private static final long serialVersionUID = 1L;

    @Override
    public Object get(Object key) {
        Object v = super.get(key);
        return v == null ? "" : v;
    }

    @Override
    public boolean containsKey(Object key) {
        return true;
    }

    Model with(String key, Object value) {
        put(key, value);
        return this;
    }
}
