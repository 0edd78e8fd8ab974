/*
 * newsagg test engine: a single, in-JVM Elasticsearch node for tests and CI.
 *
 * Elasticsearch publishes its server, the netty4 transport and its test framework
 * to Maven Central, but not its distribution nor most modules (analysis-common,
 * lang-painless, mapper-extras, x-pack...). This class starts a real
 * org.elasticsearch.node.Node (see org.elasticsearch.node.NewsaggTestNode, which
 * takes its plugins from the classpath like the test framework's MockNode) with:
 *   - Netty4Plugin          real HTTP + transport on loopback
 *   - LanguageAnalysisPlugin the language analyzers (english, spanish, ...) and the
 *                            asciifolding filter, which live in the unpublished
 *                            analysis-common module, rebuilt on Lucene's classes.
 *   - RootInfoPlugin         GET / and HEAD / (the unpublished rest-root module).
 * Security is not on the classpath at all (no x-pack): plain HTTP, no auth.
 *
 * Usage: java -cp 'tests/engine/lib/elasticsearch-<version>/*' io.newsagg.testengine.EsTestNode
 *            --home DIR [--port 9250] [--transport-port 9350] [--cluster-name N]
 */
package io.newsagg.testengine;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.NewsaggTestNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public final class EsTestNode {

    private EsTestNode() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int httpPort = 9250;
        int transportPort = -1;
        String clusterName = "newsagg-test";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]).toAbsolutePath();
                case "--port" -> httpPort = Integer.parseInt(args[++i]);
                case "--transport-port" -> transportPort = Integer.parseInt(args[++i]);
                case "--cluster-name" -> clusterName = args[++i];
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            home = Files.createTempDirectory("newsagg-es");
        }
        if (transportPort < 0) {
            transportPort = httpPort + 100;
        }
        Path config = home.resolve("config");
        Path data = home.resolve("data");
        Path logs = home.resolve("logs");
        Files.createDirectories(config);
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("modules"));

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("cluster.name", clusterName)
            .put("node.name", "newsagg-es-1")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // a CI disk may be fuller than the default watermarks allow
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();

        Path log4j = config.resolve("log4j2.properties");
        if (!Files.exists(log4j)) {
            Files.writeString(log4j, String.join("\n",
                "status = error",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %marker%m%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.console.ref = console",
                "logger.deprecation.name = org.elasticsearch.deprecation",
                "logger.deprecation.level = error",
                ""));
        }
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "newsagg-es-1");
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName("newsagg-es-1");
        LogConfigurator.configure(environment, true);

        List<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class, LanguageAnalysisPlugin.class, RootInfoPlugin.class);
        CountDownLatch stopped = new CountDownLatch(1);
        Node node = new NewsaggTestNode(environment, plugins);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "newsagg-es-shutdown"));
        try {
            node.start();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("newsagg-es-test-node started: http://127.0.0.1:" + httpPort);
        stopped.await();
    }
}
