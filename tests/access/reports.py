from tests.access.foundation import STAFF

EXPECTED = {
    "reports.monthly_pdf": STAFF,
    "reports.monthly_xlsx": STAFF,
}


def sample_args(world) -> dict:
    return {}
