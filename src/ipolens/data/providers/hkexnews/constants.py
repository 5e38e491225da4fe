"""HKEXnews documents ipolens reads: the AP/PHIP index feeds and allotment-results announcements."""
from __future__ import annotations

PROVIDER = "hkexnews"
LIBRARY = ""  # standard library only: nothing to install

# The "Application Proofs and PHIPs" index (https://www1.hkexnews.hk/app/appindex.html) is rendered from static
# JSON files, one per status, board and language: {"genDate", "uDate" (DD/MM/YYYY), "app": [applicant, ...]}, an
# applicant being {"id", "d", "a" name, "s" status, "st" stock code (listed feed), "rd" return date (returned
# feed), "ls"/"ps" documents [{"d", "nF", "nS1", "nS2", "u1", "u2"}], "hasPhip", "postingDate"}.
APP_INDEX_DOC = "https://www1.hkexnews.hk/app/appindex.html"
FEED_BASE = "https://www1.hkexnews.hk/ncms/json/eds"
DOC_BASE = "https://www1.hkexnews.hk/app/"
FEEDS = {
    "active": "appactive_app_{board}_e.json",
    "phip": "appactive_appphip_{board}_e.json",
    "inactive": "appinactive_{board}_e.json",
    "listed": "applisted_{board}_e.json",
    "returned": "appreturned_{board}_e.json",
}
BOARDS = ("sehk", "gem")  # Main Board, GEM

APPLICATIONS = "app_feed"  # transport function: one feed's JSON
ALLOTMENT = "allotment_results"  # transport function: an announcement's text
# Main Board Rule 12.08: the results of the offer and the basis of allotment are announced on the Exchange's
# website before dealings start; parse.py reads the labels these announcements print (Final Offer Price, No. of
# valid applications, Subscription level, the basis-of-allotment table).
ALLOTMENT_DOC = "https://en-rules.hkex.com.hk/rulebook/1613"

HOST = "www1.hkexnews.hk"
MIN_INTERVAL_S = 1.0

