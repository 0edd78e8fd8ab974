"""Story clustering: which articles tell the same story, across outlets, countries and languages."""

from newsagg.stories.clusterer import StoryClusterer, StorySettings
from newsagg.stories.similarity import ArticleFeatures, similarity

__all__ = ["ArticleFeatures", "StoryClusterer", "StorySettings", "similarity"]
