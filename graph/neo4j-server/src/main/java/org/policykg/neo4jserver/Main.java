package org.policykg.neo4jserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Starts Neo4j Community as an embedded kernel with Bolt on HOST:PORT and auth on, then waits
 * until the JVM is told to stop (SIGTERM/SIGINT run the shutdown hook, which closes the
 * databases cleanly so the next start needs no recovery).
 *
 * <pre>
 *   NEO4J_PASSWORD=... java -jar neo4j-server.jar --port 7687 --data DIR [--host 127.0.0.1]
 *                                                  [--pid FILE] [--pagecache 256m]
 *                                                  [--tx-timeout 120s] [--tx-memory 512m]
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("neo4j-server: NEO4J_PASSWORD is not set (the password of the neo4j user)");
            System.exit(2);
            return;
        }
        if (password.length() < 8) {
            // Neo4j's own rule (dbms.security.auth_minimum_password_length); say it before starting
            System.err.println("neo4j-server: NEO4J_PASSWORD must have at least 8 characters");
            System.exit(2);
            return;
        }

        Files.createDirectories(options.data);
        if (options.pidFile != null) {
            writePid(options.pidFile);
        }
        Instant started = Instant.now();
        log("starting Neo4j (embedded, Community) data=" + options.data.toAbsolutePath()
                + " bolt=" + options.host + ":" + options.port + " tx-timeout=" + options.txTimeout
                + " tx-memory=" + options.txMemoryBytes);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(options.data)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(options.host, options.port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(options.host, options.port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, options.pagecacheBytes)
                // LOAD CSV must not read the server's files (the API lets analysts run Cypher)
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                // a runaway query (analyst Cypher, a client of the user's own) is terminated by the
                // server itself after this long and above this much transaction memory
                .setConfig(GraphDatabaseSettings.transaction_timeout, options.txTimeout)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, options.txMemoryBytes)
                // transaction logs are pruned past 1 GB (Neo4j keeps two days' worth by default:
                // a day of tests and loads filled a 250 GB disk); nobody backs up from this server
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size")
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping Neo4j");
            try {
                dbms.shutdown();
            } finally {
                if (options.pidFile != null) {
                    try {
                        Files.deleteIfExists(options.pidFile);
                    } catch (IOException ignored) {
                        // the stop script tolerates a stale pid file
                    }
                }
                log("stopped");
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            setPassword(dbms, password);
        } catch (RuntimeException e) {
            log("could not set the neo4j user's password: " + e.getMessage());
            System.exit(1);
        }
        log("ready bolt://" + options.host + ":" + options.port + " in "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
        stopped.await();
    }

    /** Sets the neo4j user's password from the environment on every start (idempotent). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to set the password it already has; that is the state we want
            String message = String.valueOf(e.getMessage());
            if (!message.contains("cannot be the same")) {
                throw e;
            }
            // the old password may still be flagged "change required" from the first boot
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    private static void writePid(Path pidFile) throws IOException {
        Path parent = pidFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
    }

    static void log(String message) {
        System.out.println(Instant.now() + " neo4j-server: " + message);
        System.out.flush();
    }

    /** Command-line options; sizes accept k/m/g suffixes. */
    record Options(String host, int port, Path data, Path pidFile, long pagecacheBytes, Duration txTimeout,
                   long txMemoryBytes) {
        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 7687;
            Path data = Path.of("run", "data");
            Path pid = null;
            long pagecache = ByteUnit.mebiBytes(256);
            Duration txTimeout = Duration.ofSeconds(120);
            long txMemory = ByteUnit.mebiBytes(512);
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--host" -> host = value;
                    case "--port" -> port = parsePort(value);
                    case "--data" -> data = Path.of(value);
                    case "--pid" -> pid = Path.of(value);
                    case "--pagecache" -> pagecache = parseSize(value);
                    case "--tx-timeout" -> txTimeout = parseDuration(value);
                    case "--tx-memory" -> txMemory = parseSize(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(host, port, data, pid, pagecache, txTimeout, txMemory);
        }

        /** "120s", "2m" or plain seconds; 0 turns the limit off. */
        private static Duration parseDuration(String value) {
            String v = value.trim().toLowerCase();
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("s")) {
                v = v.substring(0, v.length() - 1);
            }
            return Duration.ofSeconds(Long.parseLong(v));
        }

        private static int parsePort(String value) {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + value);
            }
            return port;
        }

        private static long parseSize(String value) {
            String v = value.trim().toLowerCase();
            long unit = 1;
            char last = v.charAt(v.length() - 1);
            if (last == 'k' || last == 'm' || last == 'g') {
                unit = last == 'k' ? 1024L : last == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
                v = v.substring(0, v.length() - 1);
            }
            return Long.parseLong(v) * unit;
        }
    }
}
