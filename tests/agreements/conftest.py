import pytest

from ventanilla.agreements.demo import load_agreements
from ventanilla.agreements.models import Agreement


@pytest.fixture
def agreements(db):
    """The seeds' agreements (loaded after migrate; again here, as a flush by a transactional test empties them)."""
    load_agreements()
    return {agreement.code: agreement for agreement in Agreement.objects.all()}
