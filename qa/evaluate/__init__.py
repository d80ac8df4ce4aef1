"""Stage 7, measuring the product: ``qa eval`` over labelled JSONL files, the ablations,
calibration fitting (``qa tune``) and the feedback the page collects.

May import every stage below it.
"""
