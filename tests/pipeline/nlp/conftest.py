import pytest
import spacy

from pipeline.nlp import build_nlp


@pytest.fixture(scope="session")
def nlp() -> spacy.language.Language:
    """The analysis pipeline on a blank Swedish base (the rules must work without a trained model)."""
    return build_nlp("/nonexistent/model/so/blank/sv/is/used")
