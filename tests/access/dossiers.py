from tests.access.foundation import EDITORS

EXPECTED = {
    "dossiers.result": EDITORS,
    "dossiers.api_results": EDITORS,
}


def sample_args(world) -> dict:
    # No record exists in the sample world: allowed roles get 404, others 403.
    # tests/test_dossiers.py covers the view on real rows.
    return {"record_id": 999_999}
