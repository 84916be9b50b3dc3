package ai.netsky.cli;

import ai.netsky.core.NetskyException;
import ai.netsky.store.DbDiag;
import ai.netsky.store.MetaDb;
import ai.netsky.store.Query;
import java.sql.Connection;
import java.sql.SQLException;

/** Read-only SQL for the report commands (events, watchdog-events, analytics), errors through db_diag. */
final class Reports {
    private Reports() {}

    static Query.Result read(CliContext ctx, String sql, Object... params) {
        Query.ensureExists(ctx.paths(), ctx.env());
        try (Connection c = MetaDb.openReadOnly(ctx.paths(), MetaDb.busyMs(ctx.env()))) {
            try {
                return Query.run(c, sql, params);
            } catch (SQLException e) {
                throw new NetskyException(DbDiag.explain(ctx.paths(), e, c), e);
            }
        } catch (SQLException e) {
            throw new NetskyException(DbDiag.explain(ctx.paths(), e, null), e);
        }
    }
}
