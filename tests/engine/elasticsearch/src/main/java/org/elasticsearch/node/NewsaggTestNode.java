/*
 * newsagg test engine. Lives in org.elasticsearch.node because the hooks that let
 * a Node take its plugins from the classpath (NodeConstruction, NodeServiceProvider)
 * are package-private; this is what the test framework's MockNode does, minus its
 * dependency on the randomized-testing runner (whose mere presence on the classpath
 * makes Elasticsearch expect to run inside a JUnit test).
 */
package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

public class NewsaggTestNode extends Node {

    public NewsaggTestNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(
            NodeConstruction.prepareConstruction(
                environment,
                PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false),
                new NodeServiceProvider() {
                    @Override
                    PluginsService newPluginService(Environment env, PluginsLoader loader) {
                        return new MockPluginsService(env.settings(), env, classpathPlugins);
                    }
                },
                true
            )
        );
    }
}
