package io.hmb.gateway.support;

import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Raw SQL on a gateway's database the way its database administrator (or an attacker holding the
 * credentials) gets it: a connection of its own, from outside the gateway, as the embedded cluster's
 * superuser (its password read from the data directory, where only the gateway's user can read it). For tests that inspect rows
 * or tamper with them; everything else goes through {@link io.hmb.gateway.admin.GatewayAdmin}.
 */
public final class DatabaseConsole implements AutoCloseable {
  private final Database database;

  private DatabaseConsole(Database database) {
    this.database = database;
  }

  /** The database of the (running or stopped) gateway with this embedded data directory. */
  public static DatabaseConsole of(Path dataDir) throws IOException {
    return of(new GatewayConfig().dataDir(dataDir));
  }

  public static DatabaseConsole of(GatewayConfig config) throws IOException {
    return new DatabaseConsole(Database.openAsSuperuser(config.database()));
  }

  /**
   * The same database with the gateway's own rights (the serving role, {@code hmb_app}), for tests that run
   * gateway code (a chainer, a store, an admin) beside a gateway: what they do must work with those rights.
   */
  public static DatabaseConsole asGateway(Path dataDir) throws IOException {
    return new DatabaseConsole(Database.openForAdmin(new GatewayConfig().dataDir(dataDir).database()));
  }

  public DataSource dataSource() {
    return database.dataSource();
  }

  public Connection connect() throws SQLException {
    return database.dataSource().getConnection();
  }

  @Override
  public void close() throws IOException {
    database.close();
  }
}
