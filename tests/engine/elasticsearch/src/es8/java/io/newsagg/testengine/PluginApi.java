/*
 * The Elasticsearch 8 spelling of the analysis-plugin calls whose signatures changed between
 * Elasticsearch 8 and 9 (src/es8 and src/es9 hold one each; engine.sh compiles the right one).
 */
package io.newsagg.testengine;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.util.function.Function;

final class PluginApi {

    private PluginApi() {}

    static <A extends Analyzer> AnalyzerProvider<A> analyzerProvider(String name, Settings settings, A analyzer) {
        return new AbstractIndexAnalyzerProvider<A>(name, settings) {
            @Override
            public A get() {
                return analyzer;
            }
        };
    }

    static TokenFilterFactory tokenFilter(String name, Settings settings, Function<TokenStream, TokenStream> filter) {
        return new AbstractTokenFilterFactory(name, settings) {
            @Override
            public TokenStream create(TokenStream in) {
                return filter.apply(in);
            }
        };
    }
}
