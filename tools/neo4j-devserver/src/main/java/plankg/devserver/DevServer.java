package plankg.devserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * A throw-away Neo4j Community server for plankg development and tests.
 *
 * <p>Runs Neo4j embedded with only a Bolt connector on 127.0.0.1, auth on, and the
 * {@code neo4j} user's password set from {@code NEO4J_PASSWORD} on the fresh store.
 * Prints {@code READY bolt://127.0.0.1:PORT} on stdout once Bolt accepts TCP
 * connections and shuts down cleanly on SIGTERM. Normally started by
 * {@code tools/neo4j-server start}, which gives every run a fresh data directory.
 *
 * <p>Options ({@code --name=value}) override the environment variable of the same
 * meaning: {@code --port} / NEO4J_BOLT_PORT (7687), {@code --data-dir} /
 * NEO4J_DATA_DIR (required), {@code --password} / NEO4J_PASSWORD (required),
 * {@code --pagecache} / NEO4J_PAGECACHE (256m), {@code --tx-memory} /
 * NEO4J_TX_MEMORY (512m, all transactions together), {@code --tx-timeout} /
 * NEO4J_TX_TIMEOUT (60s; 0 = none).
 */
public final class DevServer {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        int port = Integer.parseInt(opt(opts, "port", "NEO4J_BOLT_PORT", "7687"));
        Path dataDir = Path.of(require(opts, "data-dir", "NEO4J_DATA_DIR")).toAbsolutePath();
        String password = require(opts, "password", "NEO4J_PASSWORD");
        long pageCache = SettingValueParsers.BYTES.parse(opt(opts, "pagecache", "NEO4J_PAGECACHE", "256m"));
        long txMemory = SettingValueParsers.BYTES.parse(opt(opts, "tx-memory", "NEO4J_TX_MEMORY", "512m"));
        Duration txTimeout = SettingValueParsers.DURATION.parse(opt(opts, "tx-timeout", "NEO4J_TX_TIMEOUT", "60s"));

        Files.createDirectories(dataDir);
        // No user log provider is set, so Neo4j logs only to files in <dataDir>/logs/.
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1) // allow e.g. "test"
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemory)
                .setConfig(GraphDatabaseSettings.transaction_timeout, txTimeout)
                .setConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports to Neo4j
                // Unsupported knob, dev-only: Netty's default 5 s quiet period makes stop slow.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("neo4j dev server: shutting down");
            dbms.shutdown();
        }, "neo4j-dev-shutdown"));

        try {
            // A fresh store has neo4j/neo4j with a forced password change; replace it.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            waitForBolt(port, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1); // Neo4j's threads would keep the JVM alive; exit runs the hook
        }
        System.out.println("READY bolt://" + HOST + ":" + port);
        System.out.flush();
        new CountDownLatch(1).await(); // run until SIGTERM/SIGINT triggers the shutdown hook
    }

    /** Polls until something accepts TCP connections on HOST:port. */
    private static void waitForBolt(int port, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt did not accept connections on port " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got: " + a);
            }
            opts.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return opts;
    }

    private static String opt(Map<String, String> opts, String name, String env, String dflt) {
        String v = opts.get(name);
        if (v == null || v.isEmpty()) {
            v = System.getenv(env);
        }
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static String require(Map<String, String> opts, String name, String env) {
        String v = opt(opts, name, env, null);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name + "=... (or env " + env + ")");
        }
        return v;
    }
}
