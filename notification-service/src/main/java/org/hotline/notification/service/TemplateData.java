package org.hotline.notification.service;

import java.util.HashMap;

/**
 * A message template's data ({@code m} in the templates). Absent keys read as "" so that a template
 * may name a field an event type does not always carry (e.g. nextUnitId) without failing Qute's
 * strict rendering.
 */
final class TemplateData extends HashMap<String, Object> {

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

    /** The value as text ("" when absent). */
    String text(String key) {
        return String.valueOf(get(key));
    }
}
