"""The edgar provider (SEC EDGAR through edgartools, MIT; the ``us`` extra). Same file roles as every provider
folder: constants.py (calls, doc pages, host, rate limit), forms.yaml (form types -> stage codes, with sources),
transport.py (the live calls, imported lazily), fetchers.py (the three-stage fetchers), parse.py (pure readers)."""
