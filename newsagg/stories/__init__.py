"""Story clustering: which articles tell the same story, across outlets, countries and languages."""

from newsagg.stories.clusterer import StoryClusterer, StorySettings
from newsagg.stories.order import clustering_order
from newsagg.stories.similarity import ArticleFeatures, similarity

__all__ = ["ArticleFeatures", "StoryClusterer", "StorySettings", "clustering_order", "similarity"]
