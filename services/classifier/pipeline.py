"""Builds the spaCy pipeline from config.cfg (the components register themselves on import)."""

from __future__ import annotations

from importlib import resources

import spacy
from spacy.language import Language
from thinc.api import Config

from . import components as _components  # noqa: F401  (registers the factories)


def build_nlp() -> Language:
    text = resources.files("services.classifier").joinpath("config.cfg").read_text("utf-8")
    return spacy.util.load_model_from_config(Config().from_str(text), auto_fill=True, validate=True)
