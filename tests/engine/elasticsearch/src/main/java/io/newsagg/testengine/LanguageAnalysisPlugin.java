/*
 * Language analyzers and a few token filters for the in-JVM Elasticsearch test
 * node (tests/engine). Elasticsearch ships them in its analysis-common module,
 * which is not published to Maven Central; the analyzers here are built on the
 * same Lucene classes and accept the same "stopwords" / "stopwords_path" /
 * "stem_exclusion" parameters, so an index mapping that uses e.g.
 * "analyzer": "spanish" works on the test node as on a real cluster; so do the
 * "asciifolding" and "snowball" token filters. Token
 * streams can differ in corner cases: the test node is for integration tests,
 * never for relevance measurements.
 */
package io.newsagg.testengine;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.bn.BengaliAnalyzer;
import org.apache.lucene.analysis.br.BrazilianAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.ckb.SoraniAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.et.EstonianAnalyzer;
import org.apache.lucene.analysis.eu.BasqueAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.ga.IrishAnalyzer;
import org.apache.lucene.analysis.gl.GalicianAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.hy.ArmenianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.lt.LithuanianAnalyzer;
import org.apache.lucene.analysis.lv.LatvianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.sr.SerbianAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

public class LanguageAnalysisPlugin extends Plugin implements AnalysisPlugin {

    /** (stopwords, stemExclusion) -> analyzer, and the language's default stop set. */
    private record Lang(BiFunction<CharArraySet, CharArraySet, Analyzer> ctor, Supplier<CharArraySet> defaults) {}

    private static final Map<String, Lang> LANGS = new TreeMap<>();

    static {
        LANGS.put("arabic", new Lang(ArabicAnalyzer::new, ArabicAnalyzer::getDefaultStopSet));
        LANGS.put("armenian", new Lang(ArmenianAnalyzer::new, ArmenianAnalyzer::getDefaultStopSet));
        LANGS.put("basque", new Lang(BasqueAnalyzer::new, BasqueAnalyzer::getDefaultStopSet));
        LANGS.put("bengali", new Lang(BengaliAnalyzer::new, BengaliAnalyzer::getDefaultStopSet));
        LANGS.put("brazilian", new Lang(BrazilianAnalyzer::new, BrazilianAnalyzer::getDefaultStopSet));
        LANGS.put("bulgarian", new Lang(BulgarianAnalyzer::new, BulgarianAnalyzer::getDefaultStopSet));
        LANGS.put("catalan", new Lang(CatalanAnalyzer::new, CatalanAnalyzer::getDefaultStopSet));
        LANGS.put("cjk", new Lang((s, x) -> new CJKAnalyzer(s), CJKAnalyzer::getDefaultStopSet));
        LANGS.put("czech", new Lang(CzechAnalyzer::new, CzechAnalyzer::getDefaultStopSet));
        LANGS.put("danish", new Lang(DanishAnalyzer::new, DanishAnalyzer::getDefaultStopSet));
        LANGS.put("dutch", new Lang(DutchAnalyzer::new, DutchAnalyzer::getDefaultStopSet));
        LANGS.put("english", new Lang(EnglishAnalyzer::new, () -> EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
        LANGS.put("estonian", new Lang(EstonianAnalyzer::new, EstonianAnalyzer::getDefaultStopSet));
        LANGS.put("finnish", new Lang(FinnishAnalyzer::new, FinnishAnalyzer::getDefaultStopSet));
        LANGS.put("french", new Lang(FrenchAnalyzer::new, FrenchAnalyzer::getDefaultStopSet));
        LANGS.put("galician", new Lang(GalicianAnalyzer::new, GalicianAnalyzer::getDefaultStopSet));
        LANGS.put("german", new Lang(GermanAnalyzer::new, GermanAnalyzer::getDefaultStopSet));
        LANGS.put("greek", new Lang((s, x) -> new GreekAnalyzer(s), GreekAnalyzer::getDefaultStopSet));
        LANGS.put("hindi", new Lang(HindiAnalyzer::new, HindiAnalyzer::getDefaultStopSet));
        LANGS.put("hungarian", new Lang(HungarianAnalyzer::new, HungarianAnalyzer::getDefaultStopSet));
        LANGS.put("indonesian", new Lang(IndonesianAnalyzer::new, IndonesianAnalyzer::getDefaultStopSet));
        LANGS.put("irish", new Lang(IrishAnalyzer::new, IrishAnalyzer::getDefaultStopSet));
        LANGS.put("italian", new Lang(ItalianAnalyzer::new, ItalianAnalyzer::getDefaultStopSet));
        LANGS.put("latvian", new Lang(LatvianAnalyzer::new, LatvianAnalyzer::getDefaultStopSet));
        LANGS.put("lithuanian", new Lang(LithuanianAnalyzer::new, LithuanianAnalyzer::getDefaultStopSet));
        LANGS.put("norwegian", new Lang(NorwegianAnalyzer::new, NorwegianAnalyzer::getDefaultStopSet));
        LANGS.put("persian", new Lang((s, x) -> new PersianAnalyzer(s), PersianAnalyzer::getDefaultStopSet));
        LANGS.put("portuguese", new Lang(PortugueseAnalyzer::new, PortugueseAnalyzer::getDefaultStopSet));
        LANGS.put("romanian", new Lang(RomanianAnalyzer::new, RomanianAnalyzer::getDefaultStopSet));
        LANGS.put("russian", new Lang(RussianAnalyzer::new, RussianAnalyzer::getDefaultStopSet));
        LANGS.put("serbian", new Lang(SerbianAnalyzer::new, SerbianAnalyzer::getDefaultStopSet));
        LANGS.put("sorani", new Lang(SoraniAnalyzer::new, SoraniAnalyzer::getDefaultStopSet));
        LANGS.put("spanish", new Lang(SpanishAnalyzer::new, SpanishAnalyzer::getDefaultStopSet));
        LANGS.put("swedish", new Lang(SwedishAnalyzer::new, SwedishAnalyzer::getDefaultStopSet));
        LANGS.put("thai", new Lang((s, x) -> new ThaiAnalyzer(s), ThaiAnalyzer::getDefaultStopSet));
        LANGS.put("turkish", new Lang(TurkishAnalyzer::new, TurkishAnalyzer::getDefaultStopSet));
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> out = new TreeMap<>();
        for (Map.Entry<String, Lang> e : LANGS.entrySet()) {
            Lang lang = e.getValue();
            out.put(e.getKey(), (IndexSettings indexSettings, Environment env, String name, org.elasticsearch.common.settings.Settings s) -> {
                CharArraySet stop = Analysis.parseStopWords(env, s, lang.defaults().get());
                CharArraySet stem = Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET);
                return PluginApi.analyzerProvider(name, s, lang.ctor().apply(stop, stem));
            });
        }
        return out;
    }

    /** The analyzers by bare name ("analyzer": "spanish"), with their default settings. */
    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        List<PreBuiltAnalyzerProviderFactory> out = new ArrayList<>();
        for (Map.Entry<String, Lang> e : LANGS.entrySet()) {
            Lang lang = e.getValue();
            out.add(new PreBuiltAnalyzerProviderFactory(
                e.getKey(), CachingStrategy.LUCENE, () -> lang.ctor().apply(lang.defaults().get(), CharArraySet.EMPTY_SET)));
        }
        return out;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> out = new TreeMap<>();
        out.put("asciifolding", (indexSettings, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return PluginApi.tokenFilter(name, s, in -> new ASCIIFoldingFilter(in, preserve));
        });
        // as analysis-common's SnowballTokenFilterFactory: "language" names a Snowball stemmer class
        out.put("snowball", (indexSettings, env, name, s) -> {
            String language = s.get("language", s.get("name", "English"));
            String stemmer = Character.toUpperCase(language.charAt(0)) + language.substring(1);
            return PluginApi.tokenFilter(name, s, in -> new SnowballFilter(in, stemmer));
        });
        return out;
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new));
    }
}
