"""The hkexnews provider: HKEXnews listing documents, read by ipolens' own parsers (no vendor library).
constants.py (feeds, doc pages, host), statuses.yaml (document names and statuses -> stage codes, with sources),
transport.py (the live fetch, standard library only), parse.py (pure readers), fetchers.py (three stages)."""
