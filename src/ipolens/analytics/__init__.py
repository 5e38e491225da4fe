"""Pure functions over resolved values: deal terms, the first day, fundamentals, valuation, FX.

Each function takes plain numbers and returns a number (or None when an input is missing); callers attach the
sources. Percentages are percent numbers (82.14 = +82.14%).
"""
