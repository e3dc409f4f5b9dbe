package org.hotline.notification.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.function.Function;

/**
 * A column's values for a set-based statement ({@code unnest(cast(? as uuid[]), …)}: one statement
 * for many rows): passed as text and cast by the statement, so one array type serves every column.
 */
final class TextArrays {

    private TextArrays() {
    }

    static <T> Array of(Connection c, Collection<T> rows, Function<T, ?> column) throws SQLException {
        String[] texts = new String[rows.size()];
        int i = 0;
        for (T row : rows) {
            Object v = column.apply(row);
            texts[i++] = v == null ? null : v.toString();
        }
        return c.createArrayOf("text", texts);
    }
}
