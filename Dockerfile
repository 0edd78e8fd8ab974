# The newsagg crawler image (used by docker-compose.yml's `crawler` service).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md scrapy.cfg ./
COPY crawler crawler
COPY pipelines pipelines
COPY settings settings
COPY newsagg newsagg
RUN pip install --no-cache-dir -e . && useradd --create-home newsagg && mkdir /data && chown newsagg /data
USER newsagg
ENV NEWSAGG_HOME=/data
ENTRYPOINT ["newsagg"]
CMD ["crawl"]
