package org.hotline.backbone.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * One short transaction in plain JDBC on a pooled connection, outside JTA and Hibernate: for the
 * background loops that run many times a second (the outbox relay, notification's delivery claim),
 * where a JTA transaction and an entity session per pass cost more CPU than the statements.
 */
public final class ShortTransaction {

    /** The transaction's work on its connection; what it returns is returned after the commit. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private ShortTransaction() {
    }

    /**
     * Runs {@code work} in one transaction and commits; if the work or the commit fails it rolls
     * back, and what failed first is what the caller sees: a rollback or reset that fails after it
     * (a broken connection fails them all) is kept with it as suppressed, not thrown in its place.
     * The connection goes back to the pool in autocommit, as it came; a failure to reset it after a
     * commit is not the work's failure.
     */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
                try {
                    c.setAutoCommit(true);
                } catch (SQLException | RuntimeException reset) {
                    e.addSuppressed(reset);
                }
                throw e;
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException reset) {
                // committed: the work is done; the pool resets the connection on return, or drops it
            }
            return result;
        }
    }
}
