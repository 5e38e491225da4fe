"""The news reader over HTTP: POST /api/news/check gives the same answer as ``ipolens news check FILE --json``.

The app's guards have already refused non-JSON bodies, oversized ones and deep nesting; the route validates the
fields and runs the use case off the event loop with a deadline, so a long article stops at the time limit.
"""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ...app import news as app_news
from ..common import call

router = APIRouter(tags=["news"])


class NewsCheckBody(BaseModel):
    text: str = Field(..., description="The article: plain text, optionally with a 'Key: value' header above =====")
    published: dt.date | None = Field(None, description="Publication date: dates claims such as 1月5日, picks FX "
                                                        "rates (overrides the query parameter)")
    market: str | None = Field(None, max_length=10, description="The outlet's market HK|CN|US, for a bare 元 or $")
    name: str | None = Field(None, max_length=200, description="Article name used in claim ids (default "
                                                               f"{app_news.REQUEST_NAME})")


@router.post("/api/news/check", summary="Check the numbers of a news article (JSON body, < 2 MB)",
             responses={400: {"description": "Empty text, or a market other than HK, CN or US"},
                        413: {"description": "Body of 2 MB or more"},
                        503: {"description": "The check ran past the time limit"}})
async def news_check(request: Request, body: NewsCheckBody,
                     published: dt.date | None = Query(None, description="The article's publication date"),
                     market: str | None = Query(None, max_length=10, description="The outlet's market HK|CN|US")
                     ) -> dict:
    return await call(request, app_news.check_text, body.text, published=body.published or published,
                      market=body.market or market, name=body.name, deadline=True)
