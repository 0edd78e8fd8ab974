/*
 * An ActionPlugin that serves a fixed list of REST handlers. Elasticsearch 9's getRestHandlers
 * signature lives here (it changed between 8 and 9), so the handlers themselves are shared.
 */
package io.newsagg.testengine;

import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

abstract class RestPlugin extends Plugin implements ActionPlugin {

    /** The handlers this plugin serves. */
    protected abstract List<RestHandler> restHandlers();

    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices services, Supplier<DiscoveryNodes> nodesInCluster, Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return restHandlers();
    }
}
